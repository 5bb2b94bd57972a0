"""The benchmark harness of the project tools: load, evaluate, time, count and report.

Every ``projects/*/tools`` benchmark builds on these, so that two tools never differ in how a
checkpoint is loaded, which metric gives the top-1, how a time is measured, in what unit a
model's cost is given, or how the results are written.
"""
from __future__ import annotations

import copy
import importlib.util
import json
import os
import os.path as osp
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import ModuleType
from typing import Any

import torch
from mmengine.analysis import get_model_complexity_info
from mmengine.config import Config, ConfigDict
from mmengine.registry import MODELS, init_default_scope
from mmengine.runner import Runner, load_checkpoint
from torch import nn

from .config import load_config


def _config(config: str | Config) -> Config:
    """A private copy of ``config`` (a file or a loaded config) that callers may change."""
    return copy.deepcopy(config) if isinstance(config, Config) else load_config(config)


def load_model(config: str | Config, checkpoint: str | None = None,
               device: str = 'cpu') -> nn.Module:
    """Builds the config's model in its default scope and loads a checkpoint strictly.

    The config's top-level ``data_preprocessor`` goes into the model where it has none, as
    :class:`~mmengine.runner.Runner` does.

    Args:
        config (str | Config): A config file or a loaded config.
        checkpoint (str, optional): Loaded with mmengine's ``load_checkpoint``
            (``strict=True``). Without it the model keeps its initial weights.
        device (str): Where to put the model. Defaults to ``'cpu'``.

    Returns:
        nn.Module: The model in eval mode.
    """
    cfg = _config(config)
    init_default_scope(cfg.get('default_scope', 'mmengine'))
    model_cfg = cfg.model
    if cfg.get('data_preprocessor') is not None:
        model_cfg.setdefault('data_preprocessor', cfg.data_preprocessor)
    model = MODELS.build(model_cfg)
    if checkpoint is not None:
        load_checkpoint(model, checkpoint, map_location='cpu', strict=True, logger='silent')
    return model.to(device).eval()


def evaluate(config: str | Config, checkpoint: str, work_dir: str,
             **cfg_overrides: Any) -> dict[str, float]:
    """Test-split metrics of a checkpoint: ``Runner.test()`` with the config's evaluator.

    Args:
        config (str | Config): A config file or a loaded config.
        checkpoint (str): Loaded strictly (the runner's own ``load_from`` is lenient and would
            test a mismatching checkpoint's random weights without a word).
        work_dir (str): The runner's work dir (its log and dumped config).
        **cfg_overrides: Top-level config keys merged in (nested dicts merge key by key), e.g.
            ``test_dataloader=dict(batch_size=1)``.

    Returns:
        dict[str, float]: What ``test_evaluator`` returns, e.g. ``acc/top1`` (mmaction2's
        ``AccMetric``, a fraction) or ``accuracy/top1`` (mmpretrain's ``Accuracy``, percent).
    """
    cfg = _config(config)
    cfg.merge_from_dict(cfg_overrides)
    cfg.work_dir = work_dir
    cfg.load_from, cfg.resume = None, False
    # A name of its own: runners built in the same second would share logger and message hub.
    cfg.experiment_name = f'evaluate_{uuid.uuid4().hex[:8]}'
    if cfg.get('visualizer') is not None:
        cfg.visualizer.vis_backends = []  # metrics only: no images, no TensorBoard files
    runner = Runner.from_cfg(cfg)
    runner.load_checkpoint(checkpoint, map_location='cpu', strict=True)
    return runner.test()


def time_side_by_side(callables: Mapping[str, Callable[[], object]], repeats: int,
                      warmup: int = 1, device: str = 'cpu') -> dict[str, float]:
    """Median seconds of one call of each callable, measured interleaved.

    Every repetition calls each callable once, in turn, so that a slow drift of the machine
    (another job, the clock speed) affects all of them alike.

    The clock: on the CPU the process's CPU time (``time.process_time``), which other jobs on
    a shared core do not inflate; it equals the latency with one thread only (set
    ``torch.set_num_threads(1)``), since it sums the time of all threads. On a GPU the wall
    clock, with ``torch.cuda.synchronize()`` before and after each call so that it measures
    the queued kernels.

    Args:
        callables (Mapping[str, Callable[[], object]]): Name to a callable without arguments.
        repeats (int): Timed calls of each (at least 1).
        warmup (int): Untimed calls of each first. Defaults to 1.
        device (str): ``'cpu'`` or ``'cuda[:N]'``, which picks the clock. Defaults to
            ``'cpu'``.

    Returns:
        dict[str, float]: Name to the median seconds of its timed calls.
    """
    if repeats < 1:
        raise ValueError(f'repeats={repeats}: at least one timed call is needed.')
    cuda = device.startswith('cuda')
    clock = time.perf_counter if cuda else time.process_time

    def seconds(fn: Callable[[], object]) -> float:
        if cuda:
            torch.cuda.synchronize()
        start = clock()
        fn()
        if cuda:
            torch.cuda.synchronize()
        return clock() - start

    times: dict[str, list[float]] = {name: [] for name in callables}
    for step in range(warmup + repeats):
        for name, fn in callables.items():
            elapsed = seconds(fn)
            if step >= warmup:
                times[name].append(elapsed)
    return {name: statistics.median(t) for name, t in times.items()}


def count_params(model: nn.Module) -> int:
    """Parameters of ``model``: all of them (trainable or not), a shared one once."""
    return sum(p.numel() for p in model.parameters())


@torch.no_grad()
def complexity(model: nn.Module, inputs: torch.Tensor | tuple[torch.Tensor, ...] | None = None,
               input_shape: tuple[int, ...] | None = None) -> dict[str, float | int]:
    """GFLOPs of one forward in eval mode, and parameters.

    Counted by mmengine's ``get_model_complexity_info`` (fvcore's rules): **one multiply-add
    is one FLOP** (ResNet-50 at 224x224: 4.1 GFLOPs). Counted: convolutions, linear layers and
    matrix products (``addmm``, ``bmm``, ``matmul``, ``einsum``, ``linear``); batch norm (in
    eval mode: 2 FLOPs per input element, 1 without affine), group and layer norm (5 per
    element, 4 without affine), instance norm; upsampling (nearest 1, bilinear 4 per output
    element), ``grid_sample`` (4 per output element) and adaptive average pooling (1 per input
    element). Not counted: element-wise operations (activations, additions,
    multiplications), other pooling, and every operator mmengine has no rule for (e.g.
    ``aten::gru``). mmengine's "Unsupported operator" warnings also name counted operators:
    those come from its activation counter, which has fewer rules.

    Args:
        model (nn.Module): Counted as it is called: ``model(*inputs)``.
        inputs (Tensor | tuple[Tensor, ...], optional): The inputs of one forward.
        input_shape (tuple[int, ...], optional): Instead of ``inputs``: the shape of one
            input without the batch dimension (a batch of one is counted).

    Returns:
        dict: ``gflops`` (float) and ``params`` (int, as :func:`count_params`).
    """
    if (inputs is None) == (input_shape is None):
        raise ValueError('complexity() takes exactly one of inputs and input_shape.')
    if input_shape is not None:
        device = next(model.parameters(), torch.empty(0)).device
        inputs = torch.zeros((1, *input_shape), device=device)
    if isinstance(inputs, torch.Tensor):
        inputs = (inputs,)
    was_training = model.training
    model.eval()
    try:
        info = get_model_complexity_info(model, inputs=inputs, show_table=False,
                                         show_arch=False)
    finally:
        model.train(was_training)
    return dict(gflops=info['flops'] / 1e9, params=count_params(model))


def dataset_cfg(config: Config, split: str = 'test') -> ConfigDict:
    """The innermost dataset of ``{split}_dataloader``, through wrappers (``dataset=``).

    The returned dict is the config's own: changing it changes ``config``.
    """
    dataset = config[f'{split}_dataloader'].dataset
    while 'dataset' in dataset:
        dataset = dataset.dataset
    return dataset


def train_ann_file(config: str | Config) -> str:
    """The list file of the config's training set (e.g. to calibrate on training outputs).

    Read from ``train_dataloader`` (through dataset wrappers), joined with the dataset's
    ``data_root`` as mmengine's ``BaseDataset`` does, and made absolute, so that a dataset with
    another ``data_root`` (the test set's) reads the same file.

    Raises:
        KeyError: If the training dataset names no ``ann_file``.
    """
    cfg = config if isinstance(config, Config) else load_config(config)
    dataset = dataset_cfg(cfg, 'train')
    if not dataset.get('ann_file'):
        raise KeyError(f"train_dataloader's dataset ({dataset.get('type')}) of "
                       f'{cfg.filename!r} has no ann_file to calibrate on.')
    root = dataset.get('data_root')
    return osp.abspath(dataset.ann_file if root is None else osp.join(root, dataset.ann_file))


def frame_size(config: Config) -> int:
    """Side of the frames the test pipeline produces: its last ``Resize`` / ``CenterCrop``.

    Raises:
        ValueError: If the test pipeline has neither.
    """
    for step in reversed(dataset_cfg(config).pipeline):
        if step['type'] == 'Resize':
            return int(step['scale'][0])
        if step['type'] == 'CenterCrop':
            return int(step['crop_size'])
    raise ValueError(f'The test pipeline of {config.filename!r} has no Resize or CenterCrop '
                     'to read the frame size from.')


def sibling_tool(tool_file: str, name: str) -> ModuleType:
    """Imports ``name``.py from the folder of ``tool_file`` under a name unique to that folder.

    Every project has a ``tools/convert_official.py``; importing it as ``convert_official``
    would hand the first project's module to every other tool in the same process.
    """
    path = osp.join(osp.dirname(osp.abspath(tool_file)), f'{name}.py')
    unique = f'_mmplug_tool_{abs(hash(path))}_{name}'
    if unique not in sys.modules:
        spec = importlib.util.spec_from_file_location(unique, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[unique] = module
        spec.loader.exec_module(module)
    return sys.modules[unique]


def read_official_checkpoint(path: str, entry: str = 'state_dict',
                             weights_only: bool = False) -> tuple[dict, Any]:
    """The state dict of an official checkpoint file, and the whole loaded object.

    Official checkpoints hold the state dict under ``entry`` (``state_dict``, ``net``, ...)
    or are the state dict themselves; most pickle more than tensors (their training
    arguments), so they are loaded with ``weights_only=False`` unless the caller knows the
    file holds tensors only: convert only files you trust.

    Raises:
        FileNotFoundError: If ``path`` is not a file.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'{path!r}: no such checkpoint file.')
    ckpt = torch.load(path, map_location='cpu', weights_only=weights_only)
    state = ckpt.get(entry, ckpt) if isinstance(ckpt, dict) else ckpt
    return state, ckpt


def write_converted(state: Mapping[str, torch.Tensor], path: str, source: Any) -> None:
    """Saves a converted state dict as an mmengine checkpoint (``meta.converted_from``)."""
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    torch.save(dict(state_dict=dict(state), meta=dict(converted_from=source)), path)
    print(f'{len(state)} tensors written to {path}')


def randomise_weights(module: nn.Module, seed: int) -> None:
    """Random values for every floating tensor of ``module``, for output comparisons.

    Weights are scaled by 1/sqrt(fan-in) so that activations stay O(1) through deep
    networks; batch-norm scales near 1, small running means, positive running variances, so
    that every tensor matters and nothing overflows.
    """
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, tensor in module.state_dict().items():
            if not tensor.is_floating_point():
                continue
            values = torch.randn(tensor.shape, generator=gen)
            if name.endswith('running_var'):
                values = values.abs() + 0.5
            elif name.endswith('running_mean'):
                values *= 0.1
            elif tensor.dim() > 1:
                values /= tensor[0].numel() ** 0.5
            elif name.endswith('.weight'):  # norm scales
                values = 1 + 0.1 * values
            tensor.copy_(values)


def compare_outputs(mine: Mapping[str, torch.Tensor], theirs: Mapping[str, torch.Tensor],
                    rtol: float) -> int:
    """Prints the largest difference of each output against the official one.

    The last line is ``max_abs_diff=<value>`` (over all outputs), the line the
    ``compare_official.py`` tools promise.

    Args:
        mine (Mapping[str, Tensor]): This project's outputs.
        theirs (Mapping[str, Tensor]): The official code's, under the same names.
        rtol (float): Tolerance relative to the largest official value of each output.

    Returns:
        int: 0 if every difference is within ``rtol``, else 1 (the exit status).
    """
    ok, worst = True, 0.0
    width = max(len(key) for key in theirs)
    for key, value in theirs.items():
        diff = (mine[key] - value).abs().max().item()
        scale = value.abs().max().item()
        ok &= diff <= rtol * max(scale, 1e-12)
        worst = max(worst, diff)
        print(f'{key:{width}s} shape={tuple(value.shape)} max|official|={scale:.3e} '
              f'max_abs_diff={diff:.3e}')
    print(f'within rtol={rtol:g}: {ok}')
    print(f'max_abs_diff={worst:.3e}')
    return 0 if ok else 1


def markdown_table(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A markdown table of already formatted cells."""
    lines = ['| ' + ' | '.join(columns) + ' |', '|' + '---|' * len(columns)]
    lines += ['| ' + ' | '.join(str(cell) for cell in row) + ' |' for row in rows]
    return '\n'.join(lines)


def write_report(results: Mapping[str, Any], json_path: str | None, text: str,
                 figures: Sequence[str] = ()) -> dict[str, str]:
    """Prints a report and writes it: the results as JSON, the text as markdown.

    Args:
        results (Mapping[str, Any]): JSON-serialisable numbers.
        json_path (str, optional): Where the JSON goes; the markdown goes beside it, with the
            suffix ``.md``. Without it the report is only printed.
        text (str): The report in markdown (tables from :func:`markdown_table`, notes).
        figures (Sequence[str]): Image files, linked at the end of the markdown.

    Returns:
        dict[str, str]: Paths of the ``json`` and ``markdown`` files written (empty when
        ``json_path`` is None).
    """
    print(text)
    if json_path is None:
        return {}
    out_dir = osp.dirname(osp.abspath(json_path))
    os.makedirs(out_dir, exist_ok=True)
    with open(json_path, 'w') as f:
        json.dump(results, f, indent=2)
    links = [f'![{osp.basename(p)}]({osp.relpath(osp.abspath(p), out_dir)})' for p in figures]
    markdown = osp.splitext(json_path)[0] + '.md'
    with open(markdown, 'w') as f:
        f.write('\n\n'.join([text, *links]) + '\n')
    print(f'written to {json_path} and {markdown}')
    return dict(json=json_path, markdown=markdown)


SPEED_KNOBS = ('channels_last', 'fuse_bn', 'bf16', 'compile')


def speed_knob(model: nn.Module, knob: str, device: str = 'cpu') -> Callable:
    """A callable running ``model`` (in eval mode) with one of :data:`SPEED_KNOBS`.

    ``channels_last`` and ``fuse_bn`` work on a copy (weights in NHWC layout; each
    convolution with the batch norm after it folded in by mmcv's ``fuse_conv_bn``), ``bf16``
    runs under autocast and returns float32, ``compile`` is ``torch.compile(model)``.
    """
    if knob == 'channels_last':
        model = copy.deepcopy(model).to(memory_format=torch.channels_last)
        return lambda *inputs: model(*inputs)
    if knob == 'fuse_bn':
        from mmcv.cnn import fuse_conv_bn
        model = copy.deepcopy(model)
        model.eval()  # not chained: some backbones' train() returns None
        model = fuse_conv_bn(model)
        return lambda *inputs: model(*inputs)
    if knob == 'bf16':
        def run(*inputs):
            with torch.autocast(device_type=device.split(':')[0], dtype=torch.bfloat16):
                return model(*inputs).float()
        return run
    if knob == 'compile':
        return torch.compile(model)
    raise ValueError(f'unknown speed knob {knob!r}; use one of {SPEED_KNOBS}')


def time_knobs(models: Mapping[str, nn.Module], inputs: torch.Tensor, knobs: Sequence[str],
               repeats: int, device: str = 'cpu', units: int = 1) -> dict:
    """Per model: ms per unit of plain fp32 and of each knob, speed-up, output difference.

    Each model is timed with its knobs side by side (:func:`time_side_by_side`); ``units``
    divides the time of one call (e.g. the frames of a clip). Models must return a tensor.
    ``max_abs_diff`` is the largest difference from the fp32 output, ``max_rel_diff`` that
    divided by the fp32 output's largest magnitude.
    """
    out = {}
    for name, model in models.items():
        runs = {'fp32': model}
        runs.update({knob: speed_knob(model, knob, device) for knob in knobs})
        with torch.no_grad():
            reference = model(inputs)
            diffs = {k: float((run(inputs).float() - reference).abs().max())
                     for k, run in runs.items()}
            seconds = time_side_by_side(
                {k: (lambda run=run: run(inputs)) for k, run in runs.items()}, repeats,
                device=device)
        scale = float(reference.abs().max().clamp(min=1e-30))
        out[name] = {k: dict(ms=1e3 * seconds[k] / units, speedup=seconds['fp32'] / seconds[k],
                             max_abs_diff=diffs[k], max_rel_diff=diffs[k] / scale)
                     for k in runs}
    return out
