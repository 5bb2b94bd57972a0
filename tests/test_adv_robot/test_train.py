"""One short robust training run through the Runner, then adversarial testing."""
import os.path as osp

from mmengine.runner import Runner

CONFIG = 'projects/adv_robot/configs/pgd-at_convnet_1xb64-10e_tiny-gestures.py'


def test_pgd_at_trains_and_tests_under_attack(tmp_path, tiny_config):
    cfg = tiny_config(CONFIG, tmp_path, train_cfg=dict(max_epochs=2, val_interval=1),
                      train_dataloader=dict(batch_size=8),
                      default_hooks=dict(checkpoint=dict(interval=2)),
                      param_scheduler=dict(T_max=2, end=2))
    runner = Runner.from_cfg(cfg)
    runner.train()
    model = runner.model
    assert model.method == 'pgd_at' and model.eps_scale > 0, 'the ε ramp ran'
    assert osp.isfile(osp.join(str(tmp_path), 'epoch_2.pth'))
    nominal = runner.test()['accuracy/top1']
    model.test_attack = model.attack
    attacked = runner.test()['accuracy/top1']
    assert attacked <= nominal
