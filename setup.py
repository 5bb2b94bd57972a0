"""Installs MMPlug in editable mode so that ``import projects`` works from any directory."""
from setuptools import find_packages, setup

setup(
    name='mmplug',
    version='0.1.0',
    description='Recent research methods as OpenMMLab plugins',
    python_requires='>=3.10',
    packages=find_packages(include=['projects', 'projects.*']),
)
