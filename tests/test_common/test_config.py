"""The --cfg-options and top-level key checks of projects/common/config.py."""
from __future__ import annotations

import pytest
from mmengine.config import Config

from projects.common.config import (
    REPO_ROOT,
    check_cfg_options,
    check_frozen_initialised,
    check_init_checkpoints,
    check_top_level_keys,
)

CFG = Config(dict(
    model=dict(type='Recognizer2D', backbone=dict(type='ResNet', depth=18)),
    train_dataloader=dict(batch_size=2, dataset=dict(pipeline=[dict(type='DecordInit')])),
    train_pipeline=[dict(type='DecordInit')],
    data_root='data/x'))


@pytest.mark.parametrize('key', [
    'model.backbone.depth',              # an existing key
    'model.backbone.frozen_stages',      # a new argument of a typed dict
    'train_dataloader.dataset.pipeline.0.io_backend',  # list index, then a typed dict
    'data_root',
])
def test_valid_keys_pass(key):
    check_cfg_options(CFG, {key: 1})


@pytest.mark.parametrize('key, message', [
    ('modle.backbone.depth', "'the config' has no key 'modle'. Did you mean 'model'"),
    ('train_dataloader.batch_sise', "Did you mean 'batch_size'"),
    ('train_dataloader.dataset.pipeline.3.type', 'list of 1 items'),
    ('data_root.sub', "'data_root' is a str"),
    ('model.backbone.nested.depth', "'model.backbone' has no key 'nested'"),
])
def test_invalid_keys_are_named(key, message):
    with pytest.raises(KeyError, match=message.replace('(', r'\(')):
        check_cfg_options(CFG, {key: 1})


def test_top_level_near_miss_is_refused_and_helpers_pass():
    check_top_level_keys(CFG)
    with pytest.raises(KeyError, match="'trian_dataloader'.*'train_dataloader'"):
        check_top_level_keys(Config(dict(trian_dataloader=dict())))
    with pytest.raises(KeyError, match="'defualt_hooks'.*'default_hooks'"):
        check_top_level_keys(Config(dict(defualt_hooks=dict())))


def test_missing_init_checkpoint_is_named(tmp_path):
    present = tmp_path / 'present.pth'
    present.write_bytes(b'')
    model = dict(type='AdaFocusV2',
                 global_encoder=dict(type='ResNet', pretrained='torchvision://resnet50'),
                 local_encoder=dict(type='ResNet', init_cfg=[
                     dict(type='Kaiming', layer='Conv2d'),
                     dict(type='Pretrained', checkpoint=str(present), prefix='backbone.')]))
    check_init_checkpoints(Config(dict(model=model)))
    model['local_encoder']['init_cfg'][1]['checkpoint'] = 'work_dirs/none/epoch_6.pth'
    with pytest.raises(FileNotFoundError, match=(
            r"model\.local_encoder\.init_cfg\.1\.checkpoint = 'work_dirs/none/epoch_6\.pth'.*"
            + REPO_ROOT)):
        check_init_checkpoints(Config(dict(model=model)))
    model['local_encoder'] = dict(type='ResNet', pretrained='missing.pth')
    with pytest.raises(FileNotFoundError, match=r'model\.local_encoder\.pretrained'):
        check_init_checkpoints(Config(dict(model=model)))
    model['local_encoder'] = dict(type='ResNet')
    model['generator'] = dict(type='TTVSRNet', spynet_pretrained='checkpoints/spynet.pth')
    with pytest.raises(FileNotFoundError, match=r'model\.generator\.spynet_pretrained'):
        check_init_checkpoints(Config(dict(model=model)))
    model['generator']['spynet_pretrained'] = 'https://download.openmmlab.com/spynet.pth'
    check_init_checkpoints(Config(dict(model=model)))


def test_tensorboard_backend_writes_events(tmp_path):
    """The README's one-line TensorBoard override works with the installed packages."""
    import glob
    import os.path as osp

    from mmengine.visualization import Visualizer

    from tests.conftest import REPO_ROOT
    config = tmp_path / 'tb.py'
    config.write_text(
        f"_base_ = ['{REPO_ROOT}/configs/demo/tsn_r18_1xb16-1x1x3-15e_moving-digits.py']\n"
        "visualizer = dict(vis_backends=[dict(type='LocalVisBackend'), "
        "dict(type='TensorboardVisBackend')])\n")
    cfg = Config.fromfile(str(config))
    visualizer = Visualizer(name='tb-test', vis_backends=cfg.visualizer.vis_backends,
                            save_dir=str(tmp_path))
    visualizer.add_scalars({'loss': 1.0}, step=1)
    visualizer.close()
    assert glob.glob(osp.join(str(tmp_path), '**', 'events.out.tfevents.*'), recursive=True)


def test_frozen_module_without_weights_is_refused():
    """A frozen encoder that nothing initialises would train the rest on random features."""
    encoder = dict(type='SegmentEncoder', frozen=True, backbone=dict(type='ResNet', depth=18))
    cfg = Config(dict(model=dict(type='AVEmotionRegressor', visual_encoder=encoder)))
    with pytest.raises(ValueError, match=r'model\.visual_encoder\.frozen = True.*'
                       r'model\.visual_encoder\.init_cfg'):
        check_frozen_initialised(cfg)
    for initialised in (
            dict(encoder, init_cfg=dict(type='Pretrained', checkpoint='a.pth', prefix='x.')),
            dict(encoder, backbone=dict(type='ResNet', init_cfg=[
                dict(type='Kaiming'), dict(type='Pretrained', checkpoint='b.pth')])),
            dict(encoder, backbone=dict(type='ResNet', pretrained='torchvision://resnet18'))):
        check_frozen_initialised(Config(dict(model=dict(visual_encoder=initialised))))
    check_frozen_initialised(Config(dict(cfg.to_dict(), load_from='joint.pth')))
    check_frozen_initialised(Config(dict(model=dict(visual_encoder=dict(encoder,
                                                                        frozen=False)))))


def test_every_project_config_with_a_frozen_module_names_its_weights():
    import glob
    import os.path as osp
    for path in glob.glob(osp.join(REPO_ROOT, 'projects/*/configs/*.py')):
        check_frozen_initialised(Config.fromfile(path))
