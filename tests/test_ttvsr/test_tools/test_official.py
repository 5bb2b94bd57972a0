"""convert_official.py and compare_official.py of the TTVSR project."""
from __future__ import annotations

import os

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import MODELS, init_default_scope

import projects.ttvsr  # noqa: F401
from tests.conftest import REPO_ROOT, load_tool

CONFIG = f'{REPO_ROOT}/projects/ttvsr/configs/ttvsr_c64n60_8xb2-400k_reds4.py'


def build_editor():
    cfg = Config.fromfile(CONFIG)
    cfg.model.generator.spynet_pretrained = None
    init_default_scope(cfg.default_scope)
    return MODELS.build(cfg.model)


def official_checkpoint() -> dict:
    """An mmedit 0.x restorer checkpoint of the official TTVSR: the network's tensors under
    ``generator.`` (the official module names), with meta and optimizer entries."""
    torch.manual_seed(0)
    net_state = build_editor().generator.state_dict()
    state = {f'generator.{k}': torch.randn_like(v) for k, v in net_state.items()}
    return dict(meta=dict(iter=400000), state_dict=state, optimizer={})


def test_official_checkpoint_loads_strictly(tmp_path):
    tool = load_tool('projects/ttvsr/tools/convert_official.py')
    src, dst = str(tmp_path / 'TTVSR_REDS.pth'), str(tmp_path / 'ours.pth')
    official = official_checkpoint()
    torch.save(official, src)
    tool.main([src, dst])
    editor = build_editor()
    editor.load_state_dict(torch.load(dst)['state_dict'], strict=True)
    ours = editor.state_dict()
    for key in ('generator.LTAM.fusion.weight', 'generator.spynet.basic_module.5.'
                'basic_module.4.conv.bias', 'generator.resblocks.main.2.59.conv2.weight'):
        torch.testing.assert_close(ours[key], official['state_dict'][key])
    assert ours['step_counter'].item() == 400000  # the flow network's warm-up is over


def test_unknown_and_prefixed_keys():
    tool = load_tool('projects/ttvsr/tools/convert_official.py')
    with pytest.raises(KeyError, match='generator.discriminator.weight'):
        tool.convert_state_dict({'generator.discriminator.weight': torch.zeros(1)})
    # A bare network state dict under DataParallel's prefix maps to the same keys.
    out = tool.convert_state_dict({'module.conv_last.bias': torch.zeros(3)})
    assert set(out) == {'generator.conv_last.bias', 'step_counter'}


@pytest.mark.skipif(not os.environ.get('TTVSR_OFFICIAL_REPO'),
                    reason='set TTVSR_OFFICIAL_REPO to a checkout of researchmm/TTVSR')
@pytest.mark.parametrize('size', [(64, 64), (64, 70)])  # the official minimum is 64
def test_matches_the_official_code(size, capsys):
    tool = load_tool('projects/ttvsr/tools/compare_official.py')
    status = tool.main(['--official-repo', os.environ['TTVSR_OFFICIAL_REPO'], '--num-blocks',
                        '4', '--frames', '4', '--height', str(size[0]), '--width',
                        str(size[1])])
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith('max_abs_diff=')
    assert status == 0, last
