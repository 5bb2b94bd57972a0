"""The benchmark's helpers: the corpus relocation and the backward-memory probe."""
import torch

from tests.conftest import load_tool


def test_config_moves_the_corpus_and_resizes_it():
    tool = load_tool('projects/hat_mwer/tools/benchmark.py')
    tool.DATA.update(root='/elsewhere/corpus', utterances={'train': 4, 'val': 2, 'test': 2})
    cfg = tool.config(tool.NLL)
    ds = cfg.test_dataloader['dataset']
    assert ds['builder']['root'] == '/elsewhere/corpus'
    assert ds['builder']['utterances'] == {'train': 4, 'val': 2, 'test': 2}
    assert ds['dataset']['data_root'] == '/elsewhere/corpus'
    assert ds['dataset']['ann_file'] == 'test_manifest.json'


def test_saved_bytes_counts_what_backward_keeps():
    tool = load_tool('projects/hat_mwer/tools/benchmark.py')
    x = torch.randn(100, requires_grad=True)
    assert tool.saved_bytes(lambda: (x * x).sum()) == 2 * 100 * 4
    assert tool.saved_bytes(lambda: (x + 1).sum()) == 0
