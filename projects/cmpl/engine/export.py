"""The primary network alone: what CMPL keeps for inference (paper Sec. 3: A is discarded)."""
from __future__ import annotations

import os.path as osp

import torch
from mmaction.registry import HOOKS
from mmengine.dist import is_main_process
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

PREFIX = 'primary.'


def primary_state_dict(state_dict: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """The ``primary.*`` entries of a :class:`CMPLRecognizer` state dict, prefix removed, so
    that they load strictly into the plain recognizer the ``primary`` config describes."""
    found = {key[len(PREFIX):]: value for key, value in state_dict.items()
             if key.startswith(PREFIX)}
    if not found:
        raise KeyError(f'No {PREFIX!r} entries in the state dict: not a CMPLRecognizer '
                       'checkpoint.')
    return found


def export_primary(checkpoint: str, out: str) -> str:
    """Writes the primary network of a CMPL checkpoint as an mmengine checkpoint at ``out``."""
    ckpt = torch.load(checkpoint, map_location='cpu', weights_only=False)
    state = ckpt.get('state_dict', ckpt)
    meta = dict(ckpt.get('meta', {}), exported_from=osp.abspath(checkpoint))
    torch.save(dict(state_dict=primary_state_dict(state), meta=meta), out)
    return out


@HOOKS.register_module()
class ExportPrimaryHook(Hook):
    """Saves the primary network alone at the end of training, as ``work_dir/filename``.

    Args:
        filename (str): Defaults to ``'primary_only.pth'``.
    """

    priority = 'VERY_LOW'

    def __init__(self, filename: str = 'primary_only.pth') -> None:
        self.filename = filename

    def after_train(self, runner) -> None:
        if not is_main_process():
            return
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        state = {k: v.detach().cpu() for k, v in model.state_dict().items()}
        torch.save(dict(state_dict=primary_state_dict(state),
                        meta=dict(epoch=runner.epoch, iter=runner.iter)),
                   osp.join(runner.work_dir, self.filename))
