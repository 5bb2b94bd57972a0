"""One short training run: the NLL HAT learns on the smallest embedded corpus, then a
LM-aware MWER step and a test pass with WER run through the Runner."""
from mmengine.hooks import Hook
from mmengine.runner import Runner

TINY = 'projects/hat_mwer/configs/hat_lstm-h128_1xb16-30e_tiny-espeak-rare-words.py'
LM_AWARE = ('projects/hat_mwer/configs/'
            'hat-lm-aware-mwer_lstm-h128_1xb16-4e_tiny-espeak-rare-words.py')


def test_short_train_lowers_the_loss_and_tests(tiny_config, tmp_path):
    cfg = tiny_config(TINY, tmp_path / 'nll', train_dataloader=dict(batch_size=4),
                      train_cfg=dict(max_epochs=6, val_interval=100),
                      default_hooks=dict(logger=dict(interval=1)),
                      optim_wrapper=dict(optimizer=dict(lr=3e-3)))
    runner = Runner.from_cfg(cfg)
    losses = []
    runner.register_hook(_Record(losses), priority='LOWEST')
    runner.train()
    assert losses[-1] < 0.8 * losses[0], losses
    metrics = runner.test()
    assert 'asr/wer' in metrics and 'asr/rare_wer' in metrics
    ckpt = str(tmp_path / 'nll' / 'epoch_6.pth')

    cfg = tiny_config(LM_AWARE, tmp_path / 'mwer', train_dataloader=dict(batch_size=4),
                      load_from=ckpt, train_cfg=dict(max_epochs=1, val_interval=100))
    runner = Runner.from_cfg(cfg)
    runner.train()


class _Record(Hook):
    def __init__(self, losses):
        self.losses = losses

    def after_train_iter(self, runner, batch_idx, data_batch=None, outputs=None):
        self.losses.append(float(outputs['loss']))
