"""tools/train.py and tools/test.py: resume, strict checkpoints, and errors on bad input."""
from __future__ import annotations

import os
import os.path as osp
import runpy
import shutil

import pytest
import torch

from tests.conftest import REPO_ROOT, TINY_VIDEOS, moving_digits_options

DEMO = osp.join(REPO_ROOT, 'configs/demo/tsn_r18_1xb16-1x1x3-15e_moving-digits.py')
run_train = runpy.run_path(osp.join(REPO_ROOT, 'tools/train.py'))['main']
run_test = runpy.run_path(osp.join(REPO_ROOT, 'tools/test.py'))['main']


def demo_options(root: str, epochs: int, **extra: str) -> list[str]:
    """--cfg-options that point the demo config at a small dataset and a short schedule."""
    options = {
        'data_root': root,
        'train_cfg.max_epochs': epochs,
        # One 3-epoch schedule for every run, so a 2-epoch run is an interrupted 3-epoch one.
        'param_scheduler.0.T_max': 3,
        'param_scheduler.0.end': 3,
        'train_cfg.val_interval': 2,
        # Deterministic across a resume: no dropout, workers re-seeded identically each epoch.
        'model.cls_head.dropout_ratio': 0.0,
        'default_hooks.checkpoint.max_keep_ckpts': 5,
        'default_hooks.logger.interval': 1,
    }
    options.update(moving_digits_options(root))
    for split in ('train', 'val', 'test'):
        options[f'{split}_dataloader.persistent_workers'] = False
        options[f'{split}_dataloader.batch_size'] = 8
    options.update(extra)
    return ['--cfg-options', *[f'{k}={v}' for k, v in options.items()]]


def weights(path: str) -> dict[str, torch.Tensor]:
    return torch.load(path, map_location='cpu')['state_dict']


@pytest.fixture(scope='module')
def two_epoch_run(moving_digits_root, tmp_path_factory):
    """Two epochs, started from another directory with relative paths on the command line."""
    caller = str(tmp_path_factory.mktemp('caller'))
    cwd = os.getcwd()
    os.chdir(caller)
    try:
        runner = run_train([osp.relpath(DEMO, caller), '--work-dir', 'two_epochs',
                            *demo_options(moving_digits_root, 2)])
    finally:
        os.chdir(cwd)
    work_dir = osp.join(caller, 'two_epochs')
    assert runner.work_dir == work_dir and osp.isfile(osp.join(work_dir, 'epoch_2.pth'))
    return work_dir


def test_resume_equals_uninterrupted_training(moving_digits_root, two_epoch_run, tmp_path):
    resumed = str(tmp_path / 'resumed')
    shutil.copytree(two_epoch_run, resumed)
    runner = run_train([DEMO, '--work-dir', resumed, '--resume',
                    *demo_options(moving_digits_root, 3)])
    assert runner.epoch == 3
    straight = str(tmp_path / 'straight')
    run_train([DEMO, '--work-dir', straight, *demo_options(moving_digits_root, 3)])
    a, b = weights(osp.join(resumed, 'epoch_3.pth')), weights(osp.join(straight, 'epoch_3.pth'))
    assert a.keys() == b.keys()
    # The test is able to fail: the third epoch really changed the weights.
    assert not torch.equal(a['backbone.conv1.conv.weight'],
                           weights(osp.join(two_epoch_run, 'epoch_2.pth'))[
                               'backbone.conv1.conv.weight'])
    for key in a:
        torch.testing.assert_close(a[key], b[key], rtol=0, atol=1e-6, msg=key)


def test_test_tool_evaluates_and_dumps(moving_digits_root, two_epoch_run, tmp_path):
    out, show_dir = str(tmp_path / 'preds.pkl'), tmp_path / 'vis'
    metrics = run_test([DEMO, osp.join(two_epoch_run, 'epoch_2.pth'), '--out', out,
                        '--show-dir', str(show_dir), '--work-dir', str(tmp_path),
                        *demo_options(moving_digits_root, 2)])
    assert 0.0 <= metrics['acc/top1'] <= 1.0
    assert osp.getsize(out) > 0
    # One folder of drawn frames per test video, through mmaction2's VisualizationHook.
    assert len(list(show_dir.iterdir())) == TINY_VIDEOS['test']
    assert list(show_dir.glob('*/frames_0/*.png'))


def test_checkpoint_of_another_model_is_refused(moving_digits_root, two_epoch_run, tmp_path):
    with pytest.raises(RuntimeError, match='does not fit the model'):
        run_test([DEMO, osp.join(two_epoch_run, 'epoch_2.pth'), '--work-dir', str(tmp_path),
              *demo_options(moving_digits_root, 2, **{'model.backbone.depth': 34})])


def test_missing_checkpoint_is_named(moving_digits_root, tmp_path):
    with pytest.raises(FileNotFoundError, match='nowhere.pth'):
        run_test([DEMO, str(tmp_path / 'nowhere.pth'), '--work-dir', str(tmp_path),
              *demo_options(moving_digits_root, 1)])


def test_cfg_options_typo_is_named_with_a_suggestion(moving_digits_root, tmp_path):
    with pytest.raises(KeyError, match="batch_sise'.*Did you mean 'batch_size'"):
        run_train([DEMO, '--work-dir', str(tmp_path),
                   *demo_options(moving_digits_root, 1, **{'train_dataloader.batch_sise': 4})])


def test_typo_in_a_typed_dict_is_named_by_its_class(moving_digits_root, tmp_path):
    # New keys of a dict with a `type` are arguments of that class; it refuses unknown ones.
    with pytest.raises(TypeError, match="EpochBasedTrainLoop.*'max_epoch'"):
        run_train([DEMO, '--work-dir', str(tmp_path),
                   *demo_options(moving_digits_root, 1, **{'train_cfg.max_epoch': 3})])


def test_top_level_typo_is_named(tmp_path):
    config = tmp_path / 'typo.py'
    config.write_text(f"_base_ = ['{DEMO}']\ntrian_dataloader = dict(batch_size=2)\n")
    with pytest.raises(KeyError, match="trian_dataloader.*'train_dataloader'"):
        run_train([str(config), '--work-dir', str(tmp_path)])


def test_unknown_type_is_named(moving_digits_root, tmp_path):
    with pytest.raises(KeyError, match='ResNeXt9000'):
        run_train([DEMO, '--work-dir', str(tmp_path),
               *demo_options(moving_digits_root, 1, **{'model.backbone.type': 'ResNeXt9000'})])


def test_missing_annotation_file_is_named(moving_digits_root, tmp_path):
    missing = str(tmp_path / 'no_such_list.txt')
    with pytest.raises(FileNotFoundError, match='no_such_list.txt'):
        run_train([DEMO, '--work-dir', str(tmp_path), *demo_options(
            moving_digits_root, 1,
            **{'train_dataloader.dataset.dataset.ann_file': missing})])


def test_missing_config_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match='nope.py'):
        run_train([str(tmp_path / 'nope.py')])


def test_missing_init_checkpoint_stops_before_training(moving_digits_root, tmp_path):
    missing = str(tmp_path / 'stills_epoch_6.pth')
    with pytest.raises(FileNotFoundError, match=r'model\.backbone\.pretrained.*stills_epoch_6'):
        run_train([DEMO, '--work-dir', str(tmp_path), *demo_options(
            moving_digits_root, 1, **{'model.backbone.pretrained': missing})])
    assert not osp.exists(osp.join(tmp_path, 'epoch_1.pth'))
