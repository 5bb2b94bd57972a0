_base_ = ['mmagic::_base_/default_runtime.py']

# What the tiny CPU trainings change in mmagic's default runtime: checkpoints stay in the work
# dir (one kept), validation once at the end, no per-sample image dumps while validating; mmagic's
# IterTimerHook needs its Multi{Val,Test}Loop.
default_hooks = dict(
    logger=dict(interval=50),
    checkpoint=dict(interval=1000000, out_dir=None, max_keep_ckpts=1, save_last=True,
                    save_best=None))
custom_hooks = []
env_cfg = dict(mp_cfg=dict(opencv_num_threads=1))
log_processor = dict(window_size=50)
val_cfg = dict(type='MultiValLoop')
test_cfg = dict(type='MultiTestLoop')
randomness = dict(seed=0)
