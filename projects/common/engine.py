"""Exact resume: random states in checkpoints, and data randomness that has no history.

Two things make mmengine 0.10's ``--resume`` diverge from an uninterrupted run:

1. Checkpoints hold no random state, so after a resume dropout and every other random op draw
   numbers that the uninterrupted run never drew. :class:`RNGStateHook` stores the state of
   every rank in each checkpoint and sets it again at the first iteration after a resume.
2. mmengine seeds a dataloader worker once, from ``(seed, rank, worker id)``. Persistent
   workers then carry their streams from one epoch into the next, so an epoch's augmentation
   depends on all the epochs before it; and with ``num_workers=0`` the pipeline draws from the
   streams the model draws from. :func:`seed_dataloader` gives every worker (and the main
   process, when it loads the data itself) streams of its own, seeded from
   ``(seed, epoch, rank, worker id)`` at the start of every epoch.

``tools/train.py`` adds the hook to every config (:func:`add_rng_state_hook`), and
``import projects`` makes :meth:`Runner.build_dataloader` seed every loader it builds (see
:mod:`projects.common.compat`).
"""
from __future__ import annotations

import random
from collections.abc import Callable, Sequence

import numpy as np
import torch
from mmengine.dist import all_gather_object, get_rank, get_world_size
from mmengine.hooks import CheckpointHook, Hook
from mmengine.registry import HOOKS
from torch.utils.data import DataLoader, get_worker_info

RNG_KEY = 'rng_states'


def get_rng_state(cuda: bool = True) -> dict:
    """The states of python's, numpy's and torch's global generators in this process.

    Only types that ``torch.load(weights_only=True)`` reads are used (numpy's key becomes a
    tensor). ``cuda`` adds the current CUDA device's state once CUDA is initialised.
    """
    kind, key, pos, has_gauss, gauss = np.random.get_state()
    state = dict(
        python=random.getstate(),
        numpy=(kind, torch.from_numpy(key.astype(np.int64)), int(pos), int(has_gauss),
               float(gauss)),
        torch=torch.get_rng_state())
    if cuda and torch.cuda.is_available() and torch.cuda.is_initialized():
        state['cuda'] = torch.cuda.get_rng_state()
    return state


def set_rng_state(state: dict) -> None:
    """Sets the generators to a state from :func:`get_rng_state`."""
    random.setstate(state['python'])
    kind, key, pos, has_gauss, gauss = state['numpy']
    np.random.set_state((kind, key.numpy().astype(np.uint32), pos, has_gauss, gauss))
    torch.set_rng_state(state['torch'])
    if 'cuda' in state and torch.cuda.is_available():
        torch.cuda.set_rng_state(state['cuda'])


def seed_everything(*key: int) -> None:
    """Seeds python, numpy and torch from a tuple of integers.

    numpy's ``SeedSequence`` hashes the whole tuple, so keys that differ in one entry (epoch 3
    and epoch 4, rank 0 and rank 1) give unrelated streams, unlike ``seed + epoch``.
    """
    words = np.random.SeedSequence([int(k) % 2**63 for k in key]).generate_state(2)
    random.seed(int(words[0]))
    np.random.seed(int(words[0]))
    torch.manual_seed((int(words[0]) << 32 | int(words[1])) % 2**63)


class EpochSeeds:
    """The random streams of one dataloader's workers, seeded from (seed, epoch, rank, worker).

    It is the loader's ``worker_init_fn``. The epoch lives in shared memory and follows
    ``sampler.set_epoch``, so a persistent worker, which runs ``worker_init_fn`` only once,
    re-seeds itself before its first batch of each new epoch. With ``num_workers=0`` the main
    process loads each batch with these streams swapped in for the model's, so that loading
    neither draws from nor depends on the streams of the model.

    Args:
        seed (int): The run's seed.
        rank (int): The process's rank.
        worker_init_fn (Callable, optional): A ``worker_init_fn`` to run first (mmengine's
            sets up warnings). Defaults to None.
    """

    def __init__(self, seed: int, rank: int, worker_init_fn: Callable | None = None) -> None:
        self.seed = seed
        self.rank = rank
        self.worker_init_fn = worker_init_fn
        self.epoch = torch.zeros((), dtype=torch.int64).share_memory_()
        self.worker_id = 0
        self._seeded_epoch: int | None = None
        self._streams: dict | None = None

    def set_epoch(self, epoch: int) -> None:
        self.epoch.fill_(epoch)

    def _seed_if_new_epoch(self) -> None:
        epoch = int(self.epoch)
        if epoch != self._seeded_epoch:
            seed_everything(self.seed, epoch, self.rank, self.worker_id)
            self._seeded_epoch = epoch

    def __call__(self, worker_id: int) -> None:
        """Seeds a worker process for the current epoch (runs in the worker)."""
        if self.worker_init_fn is not None:
            self.worker_init_fn(worker_id)
        self.worker_id = worker_id
        self._seed_if_new_epoch()
        _fetch_through(get_worker_info().dataset, self._seed_if_new_epoch)

    def load_in_main_process(self, fetch: Callable, indices: Sequence[int]) -> list:
        """Loads a batch in the main process with the data streams swapped in."""
        model_streams = get_rng_state(cuda=False)
        if self._streams is not None:
            set_rng_state(self._streams)
        self._seed_if_new_epoch()
        try:
            return fetch(indices)
        finally:
            self._streams = get_rng_state(cuda=False)
            set_rng_state(model_streams)


class _Fetch:
    """A dataset's batched ``__getitems__`` that runs ``before`` (or wraps) every fetch."""

    def __init__(self, dataset, before: Callable | None = None,
                 around: Callable | None = None) -> None:
        getitems = getattr(dataset, '__getitems__', None)
        # A dataset given to a second loader is wrapped once, around its own fetch.
        self.getitems = getitems.getitems if isinstance(getitems, _Fetch) else getitems
        self.dataset = dataset
        self.before, self.around = before, around

    def fetch(self, indices: Sequence[int]) -> list:
        if self.getitems is not None:
            return self.getitems(indices)
        return [self.dataset[i] for i in indices]

    def __call__(self, indices: Sequence[int]) -> list:
        if self.around is not None:
            return self.around(self.fetch, indices)
        self.before()
        return self.fetch(indices)


def _fetch_through(dataset, before: Callable | None = None,
                   around: Callable | None = None) -> None:
    # torch's map-style fetcher calls `dataset.__getitems__(indices)` when the dataset has
    # one: an attribute of this instance (in this process) sees every batch before loading.
    dataset.__getitems__ = _Fetch(dataset, before, around)


class _SetEpoch:
    """A sampler's ``set_epoch`` that also tells the seeds the epoch."""

    def __init__(self, set_epoch: Callable, seeds: EpochSeeds) -> None:
        self.set_epoch, self.seeds = set_epoch, seeds

    def __call__(self, epoch: int) -> None:
        self.set_epoch(epoch)
        self.seeds.set_epoch(epoch)


def seed_dataloader(loader: DataLoader, seed: int) -> EpochSeeds:
    """Makes a loader's randomness a function of (seed, epoch, rank, worker id) alone.

    The workers (or, with ``num_workers=0``, the main process while it loads) draw from
    :class:`EpochSeeds`; the loader draws its workers' base seed from a generator of its own
    instead of the global one, so that starting an iterator leaves the model's streams alone.
    """
    seeds = EpochSeeds(seed, get_rank(), loader.worker_init_fn)
    loader.worker_init_fn = seeds
    loader.generator = torch.Generator().manual_seed(seed)
    samplers = [loader.sampler, getattr(loader.batch_sampler, 'sampler', None)]
    for sampler in {id(s): s for s in samplers if hasattr(s, 'set_epoch')}.values():
        sampler.set_epoch = _SetEpoch(sampler.set_epoch, seeds)
    if loader.num_workers == 0:
        _fetch_through(loader.dataset, around=seeds.load_in_main_process)
    return seeds


@HOOKS.register_module()
class RNGStateHook(Hook):
    """Saves the random state of every rank in checkpoints and restores it on resume.

    The state (python, numpy, torch and CUDA generators) is gathered from every rank when a
    :class:`~mmengine.hooks.CheckpointHook` is about to save, stored under
    ``checkpoint['rng_states']`` (one entry per rank) and set again on each rank at the first
    iteration after ``--resume``. Validation gets the state back when it ends, so that it never
    shifts the training stream. A checkpoint without random states (written before this hook
    existed) still resumes, with a warning that the resume is not exact.

    The hook runs first at every stage (priority ``HIGHEST``), so that the other hooks of the
    first resumed iteration see the restored state.
    """

    priority = 'HIGHEST'

    def __init__(self) -> None:
        self._states: list[dict] | None = None
        self._captured_at: int | None = None
        self._pending: dict | None = None
        self._before_val: dict | None = None

    def _capture(self, runner) -> None:
        state = get_rng_state()
        self._states = all_gather_object(state) if get_world_size() > 1 else [state]
        self._captured_at = runner.iter

    def _checkpoint_due(self, runner) -> bool:
        """Whether a CheckpointHook saves after this iteration (the gather is a collective, so
        every rank must decide alike, and is kept off the iterations that save nothing)."""
        for hook in runner.hooks:
            if isinstance(hook, CheckpointHook) and not hook.by_epoch and (
                    hook.every_n_train_iters(runner, hook.interval, hook.save_begin)
                    or (hook.save_last and hook.is_last_train_iter(runner))):
                return True
        return False

    def after_train_iter(self, runner, batch_idx: int, data_batch=None, outputs=None) -> None:
        if self._checkpoint_due(runner):
            self._capture(runner)

    def after_train_epoch(self, runner) -> None:
        self._capture(runner)

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        if self._captured_at != runner.iter:
            # A save that no CheckpointHook announced: only this rank's state is known here.
            self._states = [get_rng_state()]
            self._captured_at = runner.iter
        checkpoint[RNG_KEY] = self._states

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        # mmengine calls this hook on resume only (`load_from` does not).
        states = checkpoint.get(RNG_KEY)
        world_size = get_world_size()
        if states is None:
            runner.logger.warning(
                'The checkpoint holds no random states (it was written without '
                'RNGStateHook): training resumes, but not exactly as an uninterrupted run '
                'would continue (dropout and other random ops draw different numbers).')
        elif len(states) != world_size:
            runner.logger.warning(
                f'The checkpoint holds the random states of {len(states)} process(es), and '
                f'training resumes with {world_size}: it resumes, but not exactly.')
        else:
            self._pending = states[get_rank()]

    def before_train_iter(self, runner, batch_idx: int, data_batch=None) -> None:
        # Not in after_load_checkpoint: between loading and the first iteration mmengine
        # still replays the iterations already trained through the dataloader.
        if self._pending is not None:
            set_rng_state(self._pending)
            self._pending = None

    def before_val(self, runner) -> None:
        self._before_val = get_rng_state()

    def after_val(self, runner) -> None:
        if self._before_val is not None:
            set_rng_state(self._before_val)
            self._before_val = None


def add_rng_state_hook(cfg) -> None:
    """Adds :class:`RNGStateHook` to a config's ``custom_hooks`` unless it is there."""
    hooks = list(cfg.get('custom_hooks') or [])
    if not any(str(h.get('type', '')).split('.')[-1] == 'RNGStateHook' for h in hooks):
        hooks.append(dict(type='RNGStateHook'))
    cfg.custom_hooks = hooks
