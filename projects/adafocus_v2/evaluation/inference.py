"""Running a trained AdaFocusV2 over a dataset and collecting what the analysis tools need."""
from __future__ import annotations

import copy

import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.runner import Runner
from torch import nn

from ..models import patch_boxes


def build_loader(cfg: Config, ann_file: str | None = None, batch_size: int = 16):
    """The test dataloader of ``cfg``, optionally over another list file, keeping the file
    names and sampled frame indices in each sample's metainfo."""
    init_default_scope('mmaction')
    loader = copy.deepcopy(cfg.test_dataloader)
    loader.update(batch_size=batch_size, num_workers=0, persistent_workers=False)
    inner = loader.dataset.get('dataset', loader.dataset)
    if ann_file is not None:
        inner.ann_file = ann_file
    pack = inner.pipeline[-1]
    pack['meta_keys'] = ('img_shape', 'filename', 'frame_inds')
    return Runner.build_dataloader(loader)


@torch.no_grad()
def collect(model: nn.Module, loader, actions: str = 'policy') -> dict[str, torch.Tensor]:
    """Runs an AdaFocusV2 model over a dataloader.

    Args:
        model (nn.Module): An :class:`AdaFocusV2` in eval mode.
        loader: A dataloader from :func:`build_loader`.
        actions (str): Where the patches go: ``'policy'`` (π), ``'random'`` (uniform) or
            ``'centre'`` (the frame centre). Defaults to ``'policy'``.

    Returns:
        dict: ``step_logits`` (N, S, K), ``labels`` (N,) class indices or (N, K) multi-hot
        targets, ``actions`` (N, T, 2), ``boxes``
        (N, T, 4) patch boxes in pixels, ``frame_inds`` (N, T) and ``filenames`` (list).
    """
    out = dict(step_logits=[], labels=[], actions=[], boxes=[], frame_inds=[], filenames=[])
    generator = torch.Generator().manual_seed(0)
    for batch in loader:
        data = model.data_preprocessor(batch, False)
        inputs = data['inputs']
        glance_frames, focus_frames = model.split_frames(inputs)
        global_feats, maps = model.glance(glance_frames)
        chosen = model.choose_patches(maps)
        if actions == 'random':
            chosen = torch.rand(chosen.shape, generator=generator)
        elif actions == 'centre':
            chosen = torch.full_like(chosen, 0.5)
        elif actions != 'policy':
            raise ValueError(f"actions={actions!r} is not 'policy', 'random' or 'centre'.")
        logits = model.classify(global_feats, model.focus(focus_frames, chosen))['cls']
        chosen = chosen.expand(len(inputs), focus_frames.shape[1], 2)
        height, width = inputs.shape[-2:]
        out['step_logits'].append(logits)
        out['actions'].append(chosen)
        out['boxes'].append(patch_boxes(chosen, height, width, model.patch_size))
        for sample in data['data_samples']:
            label = sample.gt_label.view(-1)
            # Multi-label datasets (ActivityNet, FCVID) give multi-hot targets: keep them.
            out['labels'].append(label.float() if len(label) > 1 else int(label[0]))
            out['frame_inds'].append(torch.as_tensor(sample.metainfo['frame_inds']))
            out['filenames'].append(sample.metainfo['filename'])
    for key in ('step_logits', 'actions', 'boxes'):
        out[key] = torch.cat(out[key])
    labels = out['labels']
    out['labels'] = (torch.stack(labels) if labels and isinstance(labels[0], torch.Tensor)
                     else torch.tensor(labels))
    out['frame_inds'] = torch.stack(out['frame_inds'])
    return out
