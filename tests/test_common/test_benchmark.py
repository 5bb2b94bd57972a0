"""projects/common/benchmark.py: the harness that every project benchmark tool uses."""
from __future__ import annotations

import json
import os.path as osp

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmpretrain.registry import MODELS
from torch import nn

from projects.common.benchmark import (
    compare_outputs,
    complexity,
    count_params,
    dataset_cfg,
    evaluate,
    frame_size,
    load_model,
    markdown_table,
    sibling_tool,
    speed_knob,
    time_knobs,
    time_side_by_side,
    train_ann_file,
    write_report,
)
from tests.conftest import REPO_ROOT


@MODELS.register_module(force=True)
class TinyBenchmarkBackbone(nn.Module):
    """One convolution: a model that a test runs in a moment."""

    def __init__(self, channels: int = 4) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, channels, 3)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor]:
        return (self.conv(x),)


def test_timing_interleaves_and_returns_one_median_per_callable():
    calls = []
    medians = time_side_by_side({name: (lambda n=name: calls.append(n)) for name in 'abc'},
                                repeats=3, warmup=2)
    assert calls == list('abc') * 5
    assert list(medians) == list('abc')
    assert all(isinstance(m, float) and m >= 0 for m in medians.values())
    with pytest.raises(ValueError, match='repeats=0'):
        time_side_by_side({'a': lambda: None}, repeats=0)


def test_complexity_matches_a_hand_count():
    linear = complexity(nn.Linear(8, 4), input_shape=(8,))
    assert linear == dict(gflops=8 * 4 / 1e9, params=8 * 4 + 4)  # one multiply-add = one FLOP
    conv = nn.Sequential(nn.Conv2d(3, 5, 3, padding=1), nn.BatchNorm2d(5), nn.ReLU()).train()
    result = complexity(conv, torch.zeros(2, 3, 6, 6))
    macs = 2 * 5 * 6 * 6 * 3 * 3 * 3
    norm = 2 * (2 * 5 * 6 * 6)  # batch norm in eval mode: 2 per element; ReLU: not counted
    assert result['gflops'] == pytest.approx((macs + norm) / 1e9, rel=1e-12)
    assert result['params'] == count_params(conv) == 5 * 3 * 9 + 5 + 2 * 5
    assert conv.training  # counted in eval mode, then put back
    with pytest.raises(ValueError, match='exactly one'):
        complexity(conv)


def test_markdown_table_and_report_files(tmp_path, capsys):
    table = markdown_table(['model', 'top-1'], [['a', '1.0'], ['b', 2]])
    assert table == '| model | top-1 |\n|---|---|\n| a | 1.0 |\n| b | 2 |'
    figure = tmp_path / 'figs' / 'curve.png'
    results = dict(a=dict(top1=1.0), b=[1, 2])
    paths = write_report(results, str(tmp_path / 'out' / 'bench.json'), table, [str(figure)])
    assert paths == dict(json=str(tmp_path / 'out' / 'bench.json'),
                         markdown=str(tmp_path / 'out' / 'bench.md'))
    with open(paths['json']) as f:
        assert json.load(f) == results
    with open(paths['markdown']) as f:
        assert f.read() == f'{table}\n\n![curve.png](../figs/curve.png)\n'
    assert table in capsys.readouterr().out
    assert write_report(results, None, table) == {}


def _video_config(**train_dataset) -> Config:
    inner = dict(type='VideoDataset', ann_file='lists/test_list.txt',
                 pipeline=[dict(type='Resize', scale=(32, 32)), dict(type='CenterCrop',
                                                                     crop_size=24)])
    return Config(dict(
        train_dataloader=dict(dataset=dict(type='EmbeddedDataset', dataset=train_dataset)),
        test_dataloader=dict(dataset=dict(type='EmbeddedDataset', dataset=inner))))


def test_training_list_comes_from_the_train_dataloader(tmp_path):
    root = str(tmp_path / 'test_run')  # 'test' in a folder name must survive
    cfg = _video_config(type='VideoDataset', data_root=root, ann_file='train_list.txt')
    assert train_ann_file(cfg) == osp.join(root, 'train_list.txt')
    cfg = _video_config(type='VideoDataset', ann_file='/data/test/train_list.txt')
    assert train_ann_file(cfg) == '/data/test/train_list.txt'
    with pytest.raises(KeyError, match='no ann_file'):
        train_ann_file(_video_config(type='VideoDataset'))


def test_frame_size_and_inner_dataset():
    cfg = _video_config(type='VideoDataset')
    assert dataset_cfg(cfg).ann_file == 'lists/test_list.txt'
    assert frame_size(cfg) == 24
    dataset_cfg(cfg).pipeline.pop()
    assert frame_size(cfg) == 32
    dataset_cfg(cfg).pipeline.pop()
    with pytest.raises(ValueError, match='no Resize or CenterCrop'):
        frame_size(cfg)


def _image_classifier_config(tmp_path) -> Config:
    """A one-convolution mmpretrain classifier over 12 random 8x8 images of 3 classes."""
    rng = np.random.default_rng(0)
    for i in range(12):
        folder = tmp_path / 'images' / f'class_{i % 3}'
        folder.mkdir(parents=True, exist_ok=True)
        cv2.imwrite(str(folder / f'{i}.png'), rng.integers(0, 256, (8, 8, 3), dtype=np.uint8))
    return Config(dict(
        default_scope='mmpretrain',
        model=dict(type='ImageClassifier', backbone=dict(type='TinyBenchmarkBackbone'),
                   neck=dict(type='GlobalAveragePooling'),
                   head=dict(type='LinearClsHead', num_classes=3, in_channels=4)),
        # Top level, as in mmpretrain configs: load_model must hand it over as the runner does.
        data_preprocessor=dict(mean=[128.0] * 3, std=[64.0] * 3),
        test_dataloader=dict(
            batch_size=5, num_workers=0,
            sampler=dict(type='DefaultSampler', shuffle=False),
            dataset=dict(type='CustomDataset', data_root=str(tmp_path / 'images'),
                         pipeline=[dict(type='LoadImageFromFile'), dict(type='PackInputs')])),
        test_cfg=dict(),
        test_evaluator=dict(type='Accuracy', topk=(1,)),
        log_level='WARNING'))


def test_load_model_and_evaluate_agree_with_a_hand_count(tmp_path):
    cfg = _image_classifier_config(tmp_path)
    torch.manual_seed(0)
    checkpoint = str(tmp_path / 'random.pth')
    torch.save(dict(state_dict=load_model(cfg).state_dict()), checkpoint)
    model = load_model(cfg, checkpoint)
    assert not model.training
    assert model.data_preprocessor.mean.flatten().tolist() == [128.0] * 3

    correct = 0
    for i in range(12):
        image = cv2.imread(str(tmp_path / 'images' / f'class_{i % 3}' / f'{i}.png'))
        x = (torch.from_numpy(image).permute(2, 0, 1).float()[None] - 128) / 64
        with torch.no_grad():
            correct += int(model(x).argmax() == i % 3)
    metrics = evaluate(cfg, checkpoint, str(tmp_path / 'work'))
    assert metrics['accuracy/top1'] == pytest.approx(100 * correct / 12, abs=1e-4)

    other = str(tmp_path / 'other.pth')
    torch.save(dict(state_dict=nn.Linear(2, 2).state_dict()), other)
    for load in (lambda: load_model(cfg, other),
                 lambda: evaluate(cfg, other, str(tmp_path / 'work2'))):
        with pytest.raises(RuntimeError, match='unexpected key'):
            load()


def test_sibling_tools_of_two_projects_stay_apart():
    """Every project has tools/convert_official.py: each compare tool gets its own."""
    jca = sibling_tool(f'{REPO_ROOT}/projects/jca_fusion/tools/compare_official.py',
                       'convert_official')
    ttvsr = sibling_tool(f'{REPO_ROOT}/projects/ttvsr/tools/compare_official.py',
                         'convert_official')
    assert hasattr(jca, 'convert_tsav') and not hasattr(ttvsr, 'convert_tsav')
    assert sibling_tool(f'{REPO_ROOT}/projects/ttvsr/tools/x.py', 'convert_official') is ttvsr


def test_compare_outputs_prints_the_promised_last_line(capsys):
    theirs = {'a': torch.tensor([1.0, -2.0]), 'b': torch.tensor([10.0])}
    assert compare_outputs({'a': theirs['a'] + 1e-6, 'b': theirs['b']}, theirs, 1e-5) == 0
    assert compare_outputs({'a': theirs['a'], 'b': theirs['b'] + 1.0}, theirs, 1e-5) == 1
    assert capsys.readouterr().out.strip().splitlines()[-1] == 'max_abs_diff=1.000e+00'


def test_speed_knobs_fuse_batch_norm_exactly_and_refuse_unknown_ones():
    torch.manual_seed(0)
    net = nn.Sequential(nn.Conv2d(3, 8, 3), nn.BatchNorm2d(8), nn.ReLU(), nn.Conv2d(8, 4, 1))
    net[1].running_mean.uniform_(-1, 1)
    net[1].running_var.uniform_(0.5, 2)
    net.eval()
    fused = speed_knob(net, 'fuse_bn')
    x = torch.randn(2, 3, 9, 9)
    with torch.no_grad():
        torch.testing.assert_close(fused(x), net(x), rtol=1e-5, atol=1e-5)
    assert isinstance(net[1], nn.BatchNorm2d)  # the model itself is left as it was
    out = time_knobs(dict(net=net), x, ['fuse_bn', 'bf16'], 1, units=2)['net']
    assert out['fp32']['max_abs_diff'] == 0 and out['fuse_bn']['max_abs_diff'] < 1e-5
    assert out['bf16']['max_abs_diff'] > 1e-5  # bf16 rounds
    with pytest.raises(ValueError, match='unknown speed knob'):
        speed_knob(net, 'int4')
