"""DISFlow (the tiny configs' stand-in for the pre-trained SPyNet) and BasicVSRNetWithFlow."""
from __future__ import annotations

import copy

import numpy as np
import pytest
import torch
from mmagic.models.utils import flow_warp
from skimage import data

from projects.ttvsr.models import BasicVSRNetWithFlow, DISFlow, TTVSRNet


def photo_crop(size: int = 48) -> torch.Tensor:
    image = data.astronaut()[120:120 + size, 180:180 + size]
    return torch.from_numpy(image).permute(2, 0, 1)[None].float() / 255


def test_known_translation_and_convention():
    ref = photo_crop()
    # supp(y, x) = ref(y - 2, x + 3): the reference pixel (x, y) is at (x - 3, y + 2) in supp.
    supp = torch.roll(ref, shifts=(2, -3), dims=(2, 3))
    flow = DISFlow()(ref, supp)
    assert flow.shape == (1, 2, 48, 48) and flow.dtype == ref.dtype
    inner = flow[0, :, 8:-8, 8:-8]
    torch.testing.assert_close(inner.mean((1, 2)), torch.tensor([-3.0, 2.0]), atol=0.1, rtol=0)
    # BasicVSR's convention: warping the supporting frame with the flow gives the reference.
    warped = flow_warp(supp, flow.permute(0, 2, 3, 1))
    aligned = (warped - ref)[..., 8:-8, 8:-8].abs().mean()
    assert aligned < 0.2 * (supp - ref)[..., 8:-8, 8:-8].abs().mean()


def test_embedded_pair_is_close_to_the_true_flow(embedded_vsr_root):
    """Held-out LR pair of the embedded clips: far closer to the true flow than no motion."""
    import cv2

    from projects.ttvsr.datasets.camera import load_camera, lr_flow

    camera = load_camera(embedded_vsr_root, '003')['matrices']

    def frame(t):
        image = cv2.imread(f'{embedded_vsr_root}/BIx4/003/{t:08d}.png')[..., ::-1]
        return torch.from_numpy(image.copy()).permute(2, 0, 1)[None].float() / 255

    flow = DISFlow(patch_size=4, patch_stride=1)(frame(0), frame(1))[0].numpy()
    true, valid = lr_flow(camera[0], camera[1], flow.shape[-2:])
    epe = np.linalg.norm(flow - true, axis=0)[valid].mean()
    zero = np.linalg.norm(true, axis=0)[valid].mean()
    assert zero > 0.5 and epe < 0.5 * zero, (epe, zero)


def test_frames_below_opencv_minimum_are_padded():
    ref = photo_crop(24)
    supp = torch.roll(ref, shifts=(0, 1), dims=(2, 3))
    flow = DISFlow()(ref[..., :8, :10], supp[..., :8, :10])  # OpenCV alone refuses < 12 px
    assert flow.shape == (1, 2, 8, 10) and torch.isfinite(flow).all()
    assert flow[0, 0, 2:-2, 2:-2].mean() > 0.5  # ref pixel x is at x + 1 in supp: dx ~ +1


def test_no_parameters_no_gradient_and_copies():
    flow = DISFlow()
    assert not list(flow.parameters())
    ref = photo_crop(16).requires_grad_()
    assert not flow(ref, ref).requires_grad
    assert copy.deepcopy(flow).extra_repr() == flow.extra_repr()


def test_bad_arguments():
    with pytest.raises(ValueError, match='preset'):
        DISFlow(preset='slow')
    with pytest.raises(ValueError, match='patch_stride'):
        DISFlow(patch_size=4, patch_stride=6)
    with pytest.raises(ValueError, match=r'\(n, 3, h, w\)'):
        DISFlow()(torch.rand(1, 1, 8, 8), torch.rand(1, 1, 8, 8))


@pytest.mark.parametrize('cls,kwargs', [
    (TTVSRNet, dict(mid_channels=8, num_blocks=1, num_extract_blocks=1)),
    (BasicVSRNetWithFlow, dict(mid_channels=8, num_blocks=1)),
])
def test_networks_take_the_flow_estimator(cls, kwargs):
    net = cls(flow_estimator=dict(type='DISFlow'), **kwargs)
    assert isinstance(net.spynet, DISFlow)
    out = net(torch.rand(1, 4, 3, 16, 16))
    assert out.shape == (1, 4, 3, 64, 64)
    with pytest.raises(ValueError, match='spynet_pretrained.*flow_estimator'):
        cls(flow_estimator=dict(type='DISFlow'), spynet_pretrained='spynet.pth', **kwargs)


def test_basicvsr_with_flow_is_mmagic_basicvsr_otherwise():
    from mmagic.models.editors.basicvsr.basicvsr_net import BasicVSRNet
    torch.manual_seed(0)
    ours = BasicVSRNetWithFlow(mid_channels=8, num_blocks=1)
    torch.manual_seed(0)
    theirs = BasicVSRNet(mid_channels=8, num_blocks=1)
    assert ours.state_dict().keys() == theirs.state_dict().keys()
    lrs = torch.rand(1, 3, 3, 64, 64)
    torch.testing.assert_close(ours(lrs), theirs(lrs))


def test_flow_epe_tool(embedded_vsr_root):
    from tests.conftest import load_tool
    tool = load_tool('projects/ttvsr/tools/flow_epe.py')
    result = tool.main(['--root', embedded_vsr_root])
    assert result['pairs'] == 2 * 2 * 5  # 2 held-out clips of 6 frames, both directions
    assert result['epe'] < 0.5 * result['zero_flow_epe']
    # --flow is honoured: another estimator, another EPE, the same zero-flow reference.
    other = tool.main(['--root', embedded_vsr_root, '--flow',
                       "dict(type='DISFlow', patch_size=4, patch_stride=4)"])
    assert other['zero_flow_epe'] == result['zero_flow_epe'] and other['epe'] != result['epe']
