"""export_backbone.py: the stills checkpoint reaches TSN, TSM and MVFNet backbones alike."""
import pytest
import torch
from mmaction.models.backbones import ResNet, ResNetTSM

from projects.mvfnet.models import ResNetMVF
from tests.conftest import load_tool


def test_every_backbone_loads_the_export(tmp_path):
    tool = load_tool('projects/mvfnet/tools/export_backbone.py')
    torch.manual_seed(0)
    source = ResNet(18)
    source.init_weights()
    for m in source.modules():  # non-trivial norm statistics
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.normal_()
    state = {f'backbone.{k}': v for k, v in source.state_dict().items()}
    state['cls_head.fc_cls.weight'] = torch.zeros(10, 512)
    ckpt, out = str(tmp_path / 'tsn.pth'), str(tmp_path / 'tv.pth')
    torch.save({'state_dict': state, 'meta': {}}, ckpt)
    tool.main([ckpt, out])

    torch.manual_seed(1)
    for model in (ResNet(18, pretrained=out), ResNetTSM(18, num_segments=4, pretrained=out),
                  ResNetMVF(18, num_segments=4, pretrained=out)):
        model.init_weights()
        ours = model.state_dict()
        for key, value in source.state_dict().items():
            wrapped = key.replace('conv1.conv.', 'conv1.conv.net.')
            torch.testing.assert_close(ours[wrapped if wrapped in ours else key], value)


def test_wrapped_backbones_are_refused():
    tool = load_tool('projects/mvfnet/tools/export_backbone.py')
    state = {f'backbone.{k}': v for k, v in ResNetMVF(18, num_segments=4).state_dict().items()}
    with pytest.raises(KeyError, match='Not a plain'):
        tool.to_torchvision(state)
