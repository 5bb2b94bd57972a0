"""The registry of the embedded-data builders shared by every project's tiny configs.

Projects register their models, datasets and metrics into their host toolbox's registries, or
into registries of their own scope; this one holds only the seeded generators that write the
embedded datasets (:mod:`projects.common.datasets`). It is not a child of any root registry:
a builder writes files, it is not a component the runner builds.
"""
from mmengine.registry import Registry

EMBEDDED_DATA = Registry('embedded data', scope='mmplug')
