"""Extraction: turn a scored, gated ResNet into a genuinely smaller ``SlimResNet``.

In eval mode :class:`~.models.SbFPruner` gates every scored layer with S_l ⊙ M_l (scores
times keep mask, paper eq. 3). A pruned channel is therefore exactly zero, so its filter, its
norm entries and the matching input channels of the layers that read it can be removed
without changing the output; a kept channel's score is folded into its norm layer
(γ' = s·γ, β' = s·β, since the gate follows the norm). Residual-coupled channels are removed
only if every convolution writing into that residual stream drops them (unconfirmed; see
README, 'Differences from the paper'); otherwise extraction stops and names the convolutions.

Supported: mmpretrain ImageClassifiers whose backbone is mmpretrain's ``ResNet``/
``ResNet_CIFAR`` (``style='pytorch'``, no deep stem, no ``avg_down``, no dilation) or a
``SlimResNet``, with a global-average-pooling neck (or none) and a ``LinearClsHead``; and
mmaction2 ``Recognizer2D`` models (TSN) whose backbone is mmaction2's 2D ``ResNet``
(``style='pytorch'``, no dilation) with no neck and a head with a linear ``fc_cls``. A
recognizer's slim backbone is ``mmpretrain.SlimResNet``, which mmaction2's recognizers build
from mmpretrain's registry; mmaction2 itself is never imported here.
"""
from __future__ import annotations

import copy
import math
import os
import os.path as osp

import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmpretrain.models.backbones import ResNet, ResNet_CIFAR
from mmpretrain.registry import MODELS
from torch import nn

from .models import SbFPruner, SlimResNet

Masks = dict[str, torch.Tensor]


def example_inputs(model: nn.Module, size: int = 32, batch: int = 1,
                   seed: int | None = None) -> torch.Tensor:
    """Random (or zero) inputs of the wrapped model's kind: images, or for an mmaction2
    recognizer (which has a ``cls_head``) clips of two frames, (N, 2, 3, size, size)."""
    shape = (batch, 3, size, size)
    if hasattr(model, 'cls_head'):
        shape = (batch, 2, 3, size, size)
    if seed is None:
        return torch.zeros(shape)
    return torch.randn(shape, generator=torch.Generator().manual_seed(seed))


def sbf_keep_and_scale(pruner: SbFPruner, size: int = 32) -> tuple[Masks, Masks]:
    """The keep masks and the gates of every scored convolution of a trained SbFPruner.

    Args:
        pruner (SbFPruner): The trained model.
        size (int): Side of the image the budget's cost model is traced on if the model has
            not run yet (it matters for a FLOPs budget). Defaults to 32.

    Returns:
        tuple[dict, dict]: Boolean keep mask and gate S ⊙ M per convolution name (names
        inside ``pruner.model``).
    """
    pruner.eval()
    if pruner.param_budget is not None:
        pruner.trace(example_inputs(pruner.model, size))
    with torch.no_grad():
        scores = pruner.scores()
        masks = pruner.keep_masks(scores)
    keep, scale = {}, {}
    for key, convs in pruner.groups.items():
        for name in convs:
            keep[name], scale[name] = masks[key], scores[key] * masks[key]
    return keep, scale


def random_keep_masks(pruner: SbFPruner, ratio: float, seed: int = 0) -> Masks:
    """Random filter pruning on SbFPruner's groups: the control of any scoring rule.

    Every scored group drops the same fraction ``ratio`` of its filters as
    :func:`l1_keep_masks` (so both give networks of the same size), chosen uniformly at
    random with ``seed``.

    Returns:
        dict[str, torch.Tensor]: Boolean keep mask per convolution name.
    """
    gen = torch.Generator().manual_seed(seed)
    keep = {}
    for convs in pruner.groups.values():
        width = pruner.conv(convs[0]).out_channels
        num = max(1, math.ceil((1 - ratio) * width))
        mask = torch.zeros(width, dtype=torch.bool)
        mask[torch.randperm(width, generator=gen)[:num]] = True
        keep.update({n: mask for n in convs})
    return keep


def l1_keep_masks(pruner: SbFPruner, ratio: float) -> Masks:
    """Magnitude (L1-norm) filter pruning (Li et al., ICLR 2017) on SbFPruner's groups.

    Every scored group drops the same fraction ``ratio`` of its filters, those with the
    smallest L1 norm (summed over a residual group's members), keeping at least one.

    Args:
        pruner (SbFPruner): A model whose ``model`` holds the weights to prune.
        ratio (float): Fraction of filters to remove in each group, in [0, 1).

    Returns:
        dict[str, torch.Tensor]: Boolean keep mask per convolution name.
    """
    keep = {}
    for convs in pruner.groups.values():
        norms = sum(pruner.conv(n).weight.detach().abs().flatten(1).sum(1) for n in convs)
        num = max(1, math.ceil((1 - ratio) * norms.numel()))
        mask = torch.zeros_like(norms, dtype=torch.bool)
        mask[norms.argsort(descending=True, stable=True)[:num]] = True
        keep.update({n: mask for n in convs})
    return keep


def _is_mmaction_resnet(backbone: nn.Module) -> bool:
    """Whether ``backbone`` is mmaction2's 2D ``ResNet`` (recognised without importing it)."""
    cls = type(backbone)
    return cls.__name__ == 'ResNet' and cls.__module__.startswith('mmaction.')


def _backbone_settings(backbone: nn.Module) -> dict:
    """``SlimResNet`` arguments (except widths) that rebuild ``backbone``'s structure."""
    if _is_mmaction_resnet(backbone):
        unsupported = dict(style=backbone.style, dilations=tuple(backbone.dilations),
                           num_stages=backbone.num_stages)
        if (backbone.style != 'pytorch' or set(backbone.dilations) != {1}
                or backbone.num_stages != 4):
            raise ValueError(f'Extraction supports plain ResNets only; this mmaction2 ResNet '
                             f'has {unsupported}.')
        arch = f'resnet{backbone.depth}'
        if arch not in SlimResNet.arch_settings:
            raise ValueError(f'No SlimResNet arch for ResNet depth {backbone.depth}.')
        return dict(type='mmpretrain.SlimResNet', arch=arch, stem='imagenet',
                    strides=tuple(backbone.strides), out_indices=tuple(backbone.out_indices),
                    in_channels=backbone.in_channels, norm_cfg=dict(backbone.norm_cfg))
    if isinstance(backbone, SlimResNet):
        return dict(type='SlimResNet', arch=backbone.arch, stem=backbone.stem,
                    strides=backbone.strides,
                    out_indices=backbone.out_indices, norm_cfg=backbone.norm_cfg)
    if isinstance(backbone, ResNet):
        unsupported = dict(deep_stem=backbone.deep_stem, avg_down=backbone.avg_down,
                           style=backbone.style, dilations=tuple(backbone.dilations),
                           num_stages=backbone.num_stages)
        if (backbone.deep_stem or backbone.avg_down or backbone.style != 'pytorch'
                or set(backbone.dilations) != {1} or backbone.num_stages != 4):
            raise ValueError(f'Extraction supports plain ResNets only; this one has '
                             f'{unsupported}.')
        arch = f'resnet{backbone.depth}'
        if arch not in SlimResNet.arch_settings:
            raise ValueError(f'No SlimResNet arch for ResNet depth {backbone.depth}.')
        return dict(type='SlimResNet', arch=arch,
                    stem='cifar' if isinstance(backbone, ResNet_CIFAR) else 'imagenet',
                    strides=tuple(backbone.strides),
                    out_indices=tuple(backbone.out_indices), norm_cfg=backbone.norm_cfg)
    raise TypeError(f'Extraction supports mmpretrain ResNet, ResNet_CIFAR and SlimResNet and '
                    f'mmaction2 ResNet backbones, not {type(backbone).__name__}.')


class _Names:
    """Module names in the source network and in the ``SlimResNet`` it becomes.

    mmpretrain's ResNets and ``SlimResNet`` share names (``conv1``/``bn1``,
    ``downsample.0/1``); mmaction2's wrap each convolution and its norm in a ``ConvModule``
    (``conv1.conv``/``conv1.bn``, ``downsample.conv/bn``).
    """

    def __init__(self, backbone: nn.Module) -> None:
        self.mmaction = _is_mmaction_resnet(backbone)
        self.backbone = backbone

    def stem(self) -> tuple[str, str, str, str]:
        """(source conv, source norm, slim conv, slim norm) of the stem."""
        slim = ('backbone.conv1', 'backbone.bn1')
        if self.mmaction:
            return ('backbone.conv1.conv', 'backbone.conv1.bn', *slim)
        return ('backbone.conv1', f'backbone.{self.backbone.norm1_name}', *slim)

    def block(self, prefix: str, block: nn.Module, k: int) -> tuple[str, str, str, str]:
        """The same for ``conv{k}`` of the block at ``prefix``."""
        slim = (f'{prefix}.conv{k}', f'{prefix}.bn{k}')
        if self.mmaction:
            return (f'{prefix}.conv{k}.conv', f'{prefix}.conv{k}.bn', *slim)
        return (f'{prefix}.conv{k}', f'{prefix}.{_norm_name(block, k)}', *slim)

    def downsample(self, prefix: str) -> tuple[str, str, str, str]:
        """The same for the projection shortcut of the block at ``prefix``."""
        slim = (f'{prefix}.downsample.0', f'{prefix}.downsample.1')
        if self.mmaction:
            return (f'{prefix}.downsample.conv', f'{prefix}.downsample.bn', *slim)
        return slim + slim


def _plan(classifier: nn.Module, keep: Masks) -> tuple[dict, dict, torch.Tensor]:
    """Which input and output channels every convolution keeps, and the resulting widths.

    Returns:
        tuple[dict, dict, torch.Tensor]: ``{source conv name: (in_index, out_index,
        source norm name, slim conv name, slim norm name)}`` (names inside the classifier),
        the ``SlimResNet`` widths, and the channels of the last residual stream (the head's
        input).

    Raises:
        ValueError: If the convolutions writing one residual stream keep different channels.
    """
    backbone = classifier.backbone
    names = _Names(backbone)
    modules = dict(classifier.named_modules())

    def kept(name: str) -> torch.Tensor:
        mask = keep.get(name)
        if mask is None:
            return torch.arange(modules[name].out_channels)
        return mask.nonzero().flatten()

    plan = {}
    stem = names.stem()
    stem_out = kept(stem[0])
    plan[stem[0]] = (torch.arange(modules[stem[0]].in_channels), stem_out, *stem[1:])
    stream, writer = stem_out, stem[0]
    widths = dict(stem=len(stem_out), stages=[], blocks=[])
    for layer_name in backbone.res_layers:
        blocks = []
        for j, block in enumerate(getattr(backbone, layer_name)):
            prefix = f'backbone.{layer_name}.{j}'
            block_in = stream
            if block.downsample is not None:
                down = names.downsample(prefix)
                if not isinstance(modules.get(down[0]), nn.Conv2d):
                    raise ValueError(f'{prefix}.downsample is not a 1x1 conv and a norm.')
                stream, writer = kept(down[0]), down[0]
                plan[writer] = (block_in, stream, *down[1:])
            num_convs = sum(hasattr(block, f'conv{k}') for k in (1, 2, 3))
            cin, convs = block_in, []
            for k in range(1, num_convs + 1):
                conv = names.block(prefix, block, k)
                cout = kept(conv[0])
                plan[conv[0]] = (cin, cout, *conv[1:])
                convs.append(conv[0])
                cin = cout
            if not torch.equal(plan[convs[-1]][1], stream):
                raise ValueError(
                    f'Residual channels pruned inconsistently: {convs[-1]!r} keeps '
                    f'{plan[convs[-1]][1].numel()} channels and {writer!r}, which writes the '
                    f'same residual stream, keeps {stream.numel()} (or others). Put every '
                    'convolution that writes a residual stream in one `groups` pattern.')
            blocks.append([len(plan[n][1]) for n in convs[:-1]])
        widths['stages'].append(len(stream))
        widths['blocks'].append(blocks)
    return plan, widths, stream


def _norm_name(block: nn.Module, k: int) -> str:
    """Name of the norm layer after ``conv{k}`` in an mmpretrain or slim block."""
    if hasattr(block, 'norm_names'):
        return block.norm_names[k - 1]
    return getattr(block, f'norm{k}_name')


def _head(classifier: nn.Module) -> tuple[str, nn.Linear]:
    """The config key of the classifier's head and its linear layer, checked."""
    if hasattr(classifier, 'cls_head'):  # an mmaction2 recognizer
        if getattr(classifier, 'neck', None) is not None:
            raise TypeError('Extraction supports recognizers without a neck.')
        fc = getattr(classifier.cls_head, 'fc_cls', None)
        if not isinstance(fc, nn.Linear):
            raise TypeError(f'Extraction needs a head with a linear `fc_cls` (e.g. TSNHead), '
                            f'got {type(classifier.cls_head).__name__}.')
        return 'cls_head', fc
    head = getattr(classifier, 'head', None)
    if not isinstance(getattr(head, 'fc', None), nn.Linear):
        raise TypeError(f'Extraction needs a head with a linear `fc` (LinearClsHead), got '
                        f'{type(head).__name__}.')
    neck = getattr(classifier, 'neck', None)
    if neck is not None and type(neck).__name__ != 'GlobalAveragePooling':
        raise TypeError(f'Extraction needs a GlobalAveragePooling neck, got '
                        f'{type(neck).__name__}.')
    return 'head', head.fc


def extract(classifier: nn.Module, model_cfg: dict, keep: Masks,
            scale: Masks | None = None) -> tuple[dict, nn.Module]:
    """Builds the physically pruned classifier.

    Args:
        classifier (nn.Module): The dense ImageClassifier or Recognizer2D (e.g.
            ``SbFPruner.model``).
        model_cfg (dict): Its config.
        keep (dict[str, torch.Tensor]): Boolean keep mask per convolution name (names inside
            the classifier, e.g. ``'backbone.layer1.0.conv1'``); others keep every channel.
        scale (dict[str, torch.Tensor], optional): Gate per convolution, folded into the norm
            layer after it. Defaults to None (no gates).

    Returns:
        tuple[dict, nn.Module]: The config of the slim model (the same classifier or
        recognizer type, with a ``SlimResNet`` backbone) and the slim model, in eval mode.
    """
    settings = _backbone_settings(classifier.backbone)
    head_key, fc = _head(classifier)
    plan, widths, final = _plan(classifier, keep)

    cfg = copy.deepcopy(dict(model_cfg))
    cfg['backbone'] = dict(widths=widths, **settings)
    cfg[head_key] = dict(cfg[head_key], in_channels=widths['stages'][-1])
    cfg.pop('init_cfg', None)
    slim = MODELS.build(cfg)
    modules = dict(classifier.named_modules())
    slim_modules = dict(slim.named_modules())
    with torch.no_grad():
        for name, (cin, cout, norm_name, slim_name, slim_norm) in plan.items():
            slim_modules[slim_name].weight.copy_(modules[name].weight[cout][:, cin])
            gate = None if scale is None or name not in scale else scale[name][cout]
            _copy_norm(modules[norm_name], slim_modules[slim_norm], cout, gate)
        _, slim_fc = _head(slim)
        slim_fc.weight.copy_(fc.weight[:, final])
        slim_fc.bias.copy_(fc.bias)
    return cfg, slim.eval()


def _copy_norm(src: nn.Module, dst: nn.Module, index: torch.Tensor,
               gate: torch.Tensor | None) -> None:
    """Copies the kept entries of a norm layer, folding the gate into its affine part."""
    if not isinstance(src, nn.modules.batchnorm._BatchNorm):
        raise TypeError(f'Extraction supports BatchNorm layers, got {type(src).__name__}.')
    dst.running_mean.copy_(src.running_mean[index])
    dst.running_var.copy_(src.running_var[index])
    dst.num_batches_tracked.copy_(src.num_batches_tracked)
    weight, bias = src.weight[index], src.bias[index]
    if gate is not None:
        weight, bias = weight * gate, bias * gate
    dst.weight.copy_(weight)
    dst.bias.copy_(bias)


def load_pruner(config: str, checkpoint: str | None = None) -> tuple[Config, SbFPruner]:
    """Builds the SbFPruner of ``config`` and loads ``checkpoint`` strictly into it.

    Raises:
        ValueError: If the config's model is not an SbFPruner, or the checkpoint was trained
            with another model (the mismatching keys are listed).
    """
    cfg = Config.fromfile(config)
    if cfg.model.get('type') not in ('SbFPruner', 'mmpretrain.SbFPruner'):
        raise ValueError(f'{config!r} builds a {cfg.model.get("type")!r}, not an SbFPruner.')
    init_default_scope(cfg.get('default_scope', 'mmpretrain'))
    model = MODELS.build(runner_model_cfg(cfg))
    if checkpoint is not None:
        state = torch.load(checkpoint, map_location='cpu')
        missing, unexpected = model.load_state_dict(state.get('state_dict', state), strict=False)
        if missing or unexpected:
            raise ValueError(
                f'Checkpoint {checkpoint!r} does not fit the model of {config!r} (trained with '
                f'another config?). Missing keys: {missing[:5]}{" ..." * (len(missing) > 5)}; '
                f'unexpected keys: {unexpected[:5]}{" ..." * (len(unexpected) > 5)}.')
    return cfg, model.eval()


def runner_model_cfg(cfg: Config, model_cfg: dict | None = None) -> dict:
    """A copy of ``model_cfg`` (default ``cfg.model``) with the config's top-level data
    preprocessor where it has none, as the runner hands it over."""
    model_cfg = copy.deepcopy(cfg.model if model_cfg is None else model_cfg)
    if cfg.get('data_preprocessor') is not None:
        model_cfg.setdefault('data_preprocessor', copy.deepcopy(cfg.data_preprocessor))
    return model_cfg


def pruner_model_cfg(cfg: Config) -> dict:
    """The wrapped model's config, with the data preprocessor the runner would give it."""
    return runner_model_cfg(cfg, cfg.model.model)


def logits(model: nn.Module, inputs: torch.Tensor) -> torch.Tensor:
    """Class scores of an ImageClassifier, a Recognizer2D or an SbFPruner around either."""
    inner = getattr(model, 'model', model)
    if not hasattr(inner, 'cls_head'):
        return model(inputs)
    # mmaction2's 'tensor' mode stops at the backbone; its head averages over the frames.
    return inner.cls_head(model(inputs), num_segs=inputs.shape[1])


def check_equivalence(pruner: SbFPruner, slim: nn.Module, size: int = 32,
                      tol: float = 1e-4) -> None:
    """Checks that the extracted model computes what the gated one does, on random inputs.

    Raises:
        RuntimeError: If the logits differ by more than ``tol`` (relative to their scale).
    """
    inputs = example_inputs(pruner.model, size, batch=2, seed=0)
    pruner.eval()
    with torch.no_grad():
        gated, extracted = logits(pruner, inputs), logits(slim, inputs)
    error = (gated - extracted).abs().max() / gated.abs().max().clamp(min=1e-12)
    if error > tol:
        raise RuntimeError(f'The extracted model differs from the gated one (relative error '
                           f'{error:.2e}); is every residual-coupled convolution in `groups`?')


def input_size(cfg: Config, default: int = 32) -> int:
    """Side of the test images of ``cfg`` (its last crop or resize), else ``default``."""
    size = default
    dataset = cfg.get('test_dataloader', {}).get('dataset', {})
    while 'pipeline' not in dataset and isinstance(dataset.get('dataset'), dict):
        dataset = dataset['dataset']  # e.g. inside an EmbeddedDataset or RepeatDataset
    for step in dataset.get('pipeline', []):
        value = step.get('crop_size', step.get('scale'))
        if step.get('type') in ('CenterCrop', 'Resize', 'ResizeEdge') and value is not None:
            size = value if isinstance(value, int) else max(value)
    return int(size)


def slim_config(cfg: Config, model_cfg: dict) -> Config:
    """The training config turned into the extracted model's: new model, no SbF hooks."""
    cfg = copy.deepcopy(cfg)
    cfg.model = model_cfg
    hooks = [h for h in cfg.get('custom_hooks', [])
             if h.get('type') not in ('SbFBudgetHook', 'mmpretrain.SbFBudgetHook')]
    cfg.custom_hooks = hooks
    keys = cfg.get('optim_wrapper', {}).get('paramwise_cfg', {}).get('custom_keys', {})
    keys.pop('attention_networks', None)
    return cfg


def extract_checkpoint(config: str, checkpoint: str, out_dir: str) -> tuple[str, str, dict]:
    """Extracts a trained SbF-Pruner checkpoint into an ordinary mmpretrain config + checkpoint.

    Args:
        config (str): The SbF-Pruner training config.
        checkpoint (str): A checkpoint trained with it.
        out_dir (str): Folder to write ``NAME_extracted.py`` and ``NAME_extracted.pth`` to.

    Returns:
        tuple[str, str, dict]: Paths of the config and the checkpoint, and a summary
        (``params``, ``dense_params``, ``widths``).
    """
    cfg, pruner = load_pruner(config, checkpoint)
    size = input_size(cfg)
    keep, scale = sbf_keep_and_scale(pruner, size)
    model_cfg, slim = extract(pruner.model, pruner_model_cfg(cfg), keep, scale)
    check_equivalence(pruner, slim, size)
    summary = dict(params=sum(p.numel() for p in slim.parameters()),
                   dense_params=sum(p.numel() for p in pruner.model.parameters()),
                   widths=model_cfg['backbone']['widths'])
    os.makedirs(out_dir, exist_ok=True)
    name = osp.splitext(osp.basename(config))[0] + '_extracted'
    out_config, out_checkpoint = osp.join(out_dir, f'{name}.py'), osp.join(out_dir, f'{name}.pth')
    slim_config(cfg, model_cfg).dump(out_config)
    torch.save(dict(state_dict=slim.state_dict(),
                    meta=dict(sbf_pruner=dict(config=config, checkpoint=checkpoint, **summary))),
               out_checkpoint)
    return out_config, out_checkpoint, summary
