"""The layout's promise: every ``projects/NAME`` lifts into its host toolbox unchanged.

A project's package code (everything but ``configs/``, ``tools/`` and its embedded-data
builder ``datasets/embedded_*.py``, which serve the tiny configs) imports only torch, mmengine,
mmcv, its host toolbox and itself: never ``projects.common`` nor another project. The upstream
test copies each project alone into a folder outside the repository and builds its first paper
config there, as a maintainer would after copying it into the host's ``projects/``.
"""
from __future__ import annotations

import ast
import glob
import json
import os
import os.path as osp
import shutil
import subprocess
import sys
import textwrap

import pytest
from mmengine.config import Config

from tests.conftest import REPO_ROOT, download_overrides

PROJECTS = sorted(osp.basename(osp.dirname(p))
                  for p in glob.glob(osp.join(REPO_ROOT, 'projects/*/__init__.py'))
                  if osp.basename(osp.dirname(p)) != 'common')


def package_files(project: str) -> list[str]:
    """The project's package modules (what must import without projects.common)."""
    root = osp.join(REPO_ROOT, 'projects', project)
    files = []
    for path in sorted(glob.glob(osp.join(root, '**/*.py'), recursive=True)):
        rel = osp.relpath(path, root)
        if rel.split(osp.sep)[0] in ('configs', 'tools'):
            continue
        if rel.startswith(osp.join('datasets', 'embedded_')):
            continue
        files.append(path)
    return files


def imported_modules(path: str, package: str) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in a file of ``package``."""
    tree = ast.parse(open(path).read(), path)
    here = package.split('.') + osp.relpath(
        osp.dirname(path), osp.join(REPO_ROOT, *package.split('.'))).split(osp.sep)
    here = [p for p in here if p not in ('', '.')]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[:len(here) - node.level + 1]
                name = '.'.join(base + ([node.module] if node.module else []))
            else:
                name = node.module
            found.append((node.lineno, name))
    return found


def test_every_project_is_checked():
    assert {'adafocus_v2', 'adv_robot', 'cmpl', 'hat_mwer', 'ist', 'jca_fusion', 'mtan',
            'mvfnet', 'phorhum', 'sbf_pruner', 'ttvsr'} <= set(PROJECTS)


@pytest.mark.parametrize('project', PROJECTS)
def test_package_code_imports_only_its_own_project(project):
    package = f'projects.{project}'
    bad = []
    for path in package_files(project):
        for line, name in imported_modules(path, package):
            if name.startswith('projects') and not (name == package
                                                     or name.startswith(package + '.')):
                bad.append(f'{osp.relpath(path, REPO_ROOT)}:{line} imports {name}')
    assert not bad, 'package code must not import projects.common or other projects:\n' + \
        '\n'.join(bad)


def test_the_import_check_sees_relative_imports():
    path = osp.join(REPO_ROOT, 'projects/ttvsr/datasets/flow_pairs.py')
    names = [name for _, name in imported_modules(path, 'projects.ttvsr')]
    assert 'projects.ttvsr.datasets.camera' in names


UPSTREAM_SCRIPT = textwrap.dedent('''
    import importlib.util, json, sys
    # What a git install of mmaction2 has and its PyPI wheel lacks (the DRN localizer): the
    # repository's environment fix, loaded by path so that projects.common stays unimported.
    spec = importlib.util.spec_from_file_location('env_fixes', sys.argv[2])
    fixes = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fixes)
    fixes.provide_missing_drn()
    from mmengine.config import Config
    from mmengine.registry import MODELS, init_default_scope
    cfg = Config.fromfile(sys.argv[1])
    cfg.merge_from_dict(json.loads(sys.argv[4]))
    init_default_scope(cfg.default_scope)
    model = MODELS.build(cfg.model)
    import projects
    assert projects.__file__.startswith(sys.argv[3]), projects.__file__
    leaked = sorted(m for m in sys.modules if m.startswith('projects.common'))
    assert not leaked, leaked
    print(type(model).__name__, sum(p.numel() for p in model.parameters()))
''')


@pytest.mark.parametrize('project', PROJECTS)
def test_project_builds_its_paper_config_outside_the_repository(project, tmp_path):
    """The README's upstreaming recipe: copy the folder, keep ``custom_imports``, build."""
    host = tmp_path / 'host'
    shutil.copytree(osp.join(REPO_ROOT, 'projects', project), host / 'projects' / project,
                    ignore=shutil.ignore_patterns('__pycache__'))
    (host / 'projects' / '__init__.py').write_text('')
    config = sorted(p for p in glob.glob(str(host / 'projects' / project / 'configs/*.py'))
                    if 'tiny' not in osp.basename(p))[0]
    script = tmp_path / 'build.py'
    script.write_text(UPSTREAM_SCRIPT)
    result = subprocess.run(
        [sys.executable, str(script), config,
         osp.join(REPO_ROOT, 'projects/common/compat.py'), str(host),
         json.dumps(download_overrides(
             Config.fromfile(config, import_custom_modules=False).to_dict()))],
        cwd=host, env={'PATH': os.environ.get('PATH', ''), 'HOME': str(tmp_path),
                       'PYTHONPATH': str(host), 'OMP_NUM_THREADS': '1'},
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    name, params = result.stdout.split()[-2:]
    assert int(params) > 800_000, result.stdout


PROJECT_CONFIGS = sorted(glob.glob(osp.join(REPO_ROOT, 'projects/*/configs/*.py')))


@pytest.mark.parametrize('config', PROJECT_CONFIGS, ids=lambda p: osp.relpath(p, REPO_ROOT))
def test_configs_import_their_own_project(config):
    """Paper configs load only their project (so they work upstream); tiny configs add only
    their project's embedded-data builders."""
    project = osp.relpath(config, REPO_ROOT).split(osp.sep)[1]
    imports = Config.fromfile(config, import_custom_modules=False).custom_imports.imports
    assert imports[0] == f'projects.{project}', imports
    allowed = f'projects.{project}.datasets.embedded_' if 'tiny' in osp.basename(config) else None
    extra = [m for m in imports[1:] if not (allowed and m.startswith(allowed))]
    assert not extra, f'{config} imports {extra}'
