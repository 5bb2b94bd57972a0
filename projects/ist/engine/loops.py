"""Training loops: IST, local SGD and data-parallel SGD, with communication accounting.

All three are ``EpochBasedTrainLoop`` subclasses selected by ``train_cfg.type``, so the same
model, data and launcher (``tools/dist_train.sh``, ``tools/slurm_train.sh``; gloo on CPUs,
NCCL on GPUs) serve the method and its baselines. Each rank writes
``{work_dir}/comm_rank{r}.json`` after every epoch: cumulative training time, bytes sent and
received, the analytic count, parameters held between synchronisations, and the validation
metrics, which the benchmark reads.
"""
from __future__ import annotations

import json
import os.path as osp
import time

import torch
import torch.distributed as dist
from mmengine.dist import get_dist_info
from mmengine.model import is_model_wrapper
from mmengine.runner import EpochBasedTrainLoop
from torch.nn.parallel import DistributedDataParallel

from ..registry import LOOPS
from .exchange import SubnetExchange
from .partition import draw_partition, ist_round_bytes, ring_allreduce_bytes


class CommAccountingLoop(EpochBasedTrainLoop):
    """An epoch loop that counts communicated bytes and logs them as scalars.

    Args:
        runner: The runner.
        dataloader: The training dataloader (config).
        max_epochs (int): Number of epochs.
        val_begin (int): First epoch that validates. Defaults to 1.
        val_interval (int): Validation interval in epochs. Defaults to 1.
    """

    def __init__(self, runner, dataloader, max_epochs: int, val_begin: int = 1,
                 val_interval: int = 1) -> None:
        super().__init__(runner, dataloader, max_epochs, val_begin, val_interval)
        self.rank, self.world_size = get_dist_info()
        self.sent_bytes = 0
        self.received_bytes = 0
        self.analytic_bytes = 0
        self.sync_bytes = 0
        self.train_time = 0.0
        self.history: list[dict] = []

    @property
    def model(self):
        """The unwrapped full model."""
        model = self.runner.model
        return model.module if is_model_wrapper(model) else model

    def held_params(self) -> int:
        """Parameters this rank must keep between synchronisations."""
        return sum(p.numel() for p in self.model.parameters())

    def log_comm(self, sent: int, received: int, analytic: int) -> None:
        """Adds one synchronisation's bytes and logs them (``train/`` scalars)."""
        self.sent_bytes += sent
        self.received_bytes += received
        self.analytic_bytes += analytic
        hub = self.runner.message_hub
        hub.update_scalar('train/sent_bytes', sent)
        hub.update_scalar('train/received_bytes', received)
        hub.update_scalar('train/analytic_bytes', analytic)
        hub.update_scalar('train/held_params', self.held_params())

    def run(self):
        self.runner.call_hook('before_train')
        while self._epoch < self._max_epochs and not self.stop_training:
            start = time.perf_counter()
            self.run_epoch()
            self.train_time += time.perf_counter() - start
            self._decide_current_val_interval()
            metrics = {}
            if (self.runner.val_loop is not None and self._epoch >= self.val_begin
                    and (self._epoch % self.val_interval == 0
                         or self._epoch == self._max_epochs)):
                metrics = self.runner.val_loop.run()
            self.record(metrics)
        self.runner.call_hook('after_train')
        return self.runner.model

    def record(self, metrics: dict) -> None:
        """Appends this epoch to ``comm_rank{r}.json`` in the work dir."""
        self.history.append(dict(
            epoch=self._epoch, iter=self._iter, train_time=self.train_time,
            sent_bytes=self.sent_bytes, received_bytes=self.received_bytes,
            analytic_bytes=self.analytic_bytes, sync_bytes=self.sync_bytes,
            held_params=self.held_params(), world_size=self.world_size,
            metrics={k: float(v) for k, v in (metrics or {}).items()}))
        with open(osp.join(self.runner.work_dir, f'comm_rank{self.rank}.json'), 'w') as f:
            json.dump(self.history, f, indent=1)


@LOOPS.register_module()
class DataParallelTrainLoop(CommAccountingLoop):
    """Data-parallel SGD: mmengine's ``MMDistributedDataParallel`` all-reduces the gradients
    of every step. Its bytes are the ring all-reduce count of the whole model per step
    (:func:`ring_allreduce_bytes`); DDP's buckets are not observable from here."""

    def run_iter(self, idx, data_batch) -> None:
        if self.world_size > 1 and not isinstance(self.runner.model, DistributedDataParallel):
            raise TypeError('DataParallelTrainLoop needs the DDP wrapper: remove '
                            'model_wrapper_cfg from the config.')
        super().run_iter(idx, data_batch)
        if self.world_size > 1:
            each = ring_allreduce_bytes(self.held_params(), self.world_size)
            self.log_comm(each, each, each)


@LOOPS.register_module()
class LocalSGDTrainLoop(CommAccountingLoop):
    """Local SGD: every rank trains the whole model alone and the models are averaged
    (all-reduce) every ``local_iters`` steps and at the end of each epoch.

    Args:
        local_iters (int): Steps between averages (R). Defaults to 20.
        **kwargs: See :class:`CommAccountingLoop`.
    """

    def __init__(self, runner, dataloader, max_epochs: int, local_iters: int = 20,
                 **kwargs) -> None:
        super().__init__(runner, dataloader, max_epochs, **kwargs)
        _no_gradient_sync(runner.model, 'LocalSGDTrainLoop')
        self.local_iters = local_iters

    def run_iter(self, idx, data_batch) -> None:
        super().run_iter(idx, data_batch)
        if self.world_size > 1 and ((idx + 1) % self.local_iters == 0
                                    or idx + 1 == len(self.dataloader)):
            numel = 0
            for param in self.model.parameters():
                dist.all_reduce(param.data)
                param.data /= self.world_size
                numel += param.numel()
            each = ring_allreduce_bytes(numel, self.world_size)
            self.log_comm(each, each, each)


def _no_gradient_sync(model, loop: str) -> None:
    if isinstance(model, DistributedDataParallel):
        raise TypeError(f"{loop} must not all-reduce gradients: set model_wrapper_cfg="
                        "dict(type='ist.NoSyncWrapper') in the config.")


@LOOPS.register_module()
class IndependentSubnetTrainLoop(CommAccountingLoop):
    """Independent subnet training (Yuan et al., PVLDB 2022).

    Every round of ``local_iters`` steps (R; a round also ends with the epoch, as in
    IST_Release ``train``): the hidden neurons of every layer are partitioned into
    ``world_size`` groups (a generator seeded from ``seed`` and the iteration, identical on all
    ranks); rank ``i`` receives subnet ``i`` (full input and output width), trains it for R
    steps with no communication and sends it back, and the owners write it back at the same
    indices. The runner's optimizer is pointed at the subnet's parameters and its state is
    cleared at every round, since the subnet's neurons change (the official code uses plain
    SGD, whose state is empty). BatchNorm uses batch statistics (``track_running_stats=False``),
    so there are no running statistics to exchange.

    Variants (``variant``):

    * ``'central'``: rank 0 holds the full model, scatters the subnets and gathers them back
      (IST_Release ``distributed_*_centralized_ps_gloo.py``, ``dispatch_model_to_workers``,
      ``push_model_to_parameter_server``).
    * ``'sharded'``: rank ``j`` holds shard ``j`` of every parameter's owner axis
      (``ISTFCNet.hidden_axes``); each owner scatters its block of every subnet and gathers it
      back (``distributed_*_partitioned_ps_gloo.py``). Hidden widths must be multiples of n^2.

    Before validation (end of each epoch) every rank receives the full model (a broadcast
    from the owners; counted apart as ``sync_bytes``), so that all ranks evaluate and
    checkpoint the same model.

    Args:
        local_iters (int): Local steps per round (R). Defaults to 20.
        variant (str): ``'central'`` or ``'sharded'``. Defaults to ``'central'``.
        seed (int): Seed of the partitions. Defaults to 0.
        **kwargs: See :class:`CommAccountingLoop`.
    """

    def __init__(self, runner, dataloader, max_epochs: int, local_iters: int = 20,
                 variant: str = 'central', seed: int = 0, **kwargs) -> None:
        super().__init__(runner, dataloader, max_epochs, **kwargs)
        if variant not in ('central', 'sharded'):
            raise ValueError(f"train_cfg.variant must be 'central' or 'sharded', got "
                             f'{variant!r}.')
        _no_gradient_sync(runner.model, 'IndependentSubnetTrainLoop')
        self.local_iters = local_iters
        self.variant = variant
        self.seed = seed
        device = next(self.model.parameters()).device
        self.subnet = self.model.narrow(self.world_size).to(device)
        self._round_bytes = (0, 0)
        self.exchange = SubnetExchange(self.model, variant, self.rank, self.world_size)

    def held_params(self) -> int:
        """Between rounds: rank 0 holds everything (central) or each rank 1/n (sharded)."""
        total = sum(p.numel() for p in self.model.parameters())
        if self.variant == 'sharded':
            return total // self.world_size
        return total if self.rank == 0 else 0

    def run_iter(self, idx, data_batch) -> None:
        if idx % self.local_iters == 0:
            self.start_round()
        self.runner.call_hook('before_train_iter', batch_idx=idx, data_batch=data_batch)
        outputs = self.subnet.train_step(data_batch, optim_wrapper=self.runner.optim_wrapper)
        if (idx + 1) % self.local_iters == 0 or idx + 1 == len(self.dataloader):
            self.end_round()
            if idx + 1 == len(self.dataloader):
                self.sync_full_model()
        self.runner.call_hook('after_train_iter', batch_idx=idx, data_batch=data_batch,
                              outputs=outputs)
        self._iter += 1

    def _point_optimizer_at_subnet(self) -> None:
        optimizer = self.runner.optim_wrapper.optimizer
        if len(optimizer.param_groups) != 1:
            raise ValueError('IndependentSubnetTrainLoop needs a single optimizer parameter '
                             'group: remove optim_wrapper.paramwise_cfg.')
        optimizer.param_groups[0]['params'] = list(self.subnet.parameters())
        optimizer.state.clear()

    def start_round(self) -> None:
        """Draws the partition and distributes the subnets."""
        generator = torch.Generator().manual_seed(self.seed * 1_000_003 + self._iter)
        self.exchange.groups = draw_partition(self.model.hidden_channels, self.world_size,
                                              generator, self.exchange.num_owners)
        self._point_optimizer_at_subnet()
        self._round_bytes = self.exchange.distribute(self.subnet)

    def end_round(self) -> None:
        """Collects the subnets and writes them back at the indices they came from."""
        sent, received = (a + b for a, b in zip(
            self._round_bytes, self.exchange.collect(self.subnet), strict=True))
        analytic = ist_round_bytes(self.model.in_channels, self.model.hidden_channels,
                                   self.model.num_classes, self.world_size, self.variant,
                                   self.rank)
        self.log_comm(sent, received, analytic['sent'])

    def sync_full_model(self) -> None:
        """Gives every rank the full model (before validation and checkpoints)."""
        self.sync_bytes += self.exchange.sync_full_model()
