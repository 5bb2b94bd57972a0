# Adds TensorBoard beside the local backend: put this file last in a config's `_base_` list.
# Needs `pip install -r requirements/optional.txt` (installed by `make install`).
visualizer = dict(vis_backends=[dict(type='LocalVisBackend'), dict(type='TensorboardVisBackend')])
