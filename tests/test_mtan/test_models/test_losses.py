"""The task losses: the official formulas, and invalid pixels play no part."""
import torch
from torch.nn import functional

from projects.mtan.models import depth_loss, normal_loss, seg_loss


def official_masked(pred, target, kind):
    """lorenmt/mtan im2im_pred/utils.py model_fit, written out for one case."""
    mask = (target.sum(dim=1) != 0).float().unsqueeze(1)
    count = torch.nonzero(mask, as_tuple=False).size(0)
    if kind == 'depth':
        return (torch.abs(pred - target) * mask).sum() / count
    return 1 - (pred * target * mask).sum() / count


def test_depth_loss_ignores_invalid_pixels_and_matches_the_official_formula():
    torch.manual_seed(0)
    target = torch.rand(2, 1, 8, 8) + 0.5
    target[:, :, :3] = 0  # invalid rows
    pred = torch.rand(2, 1, 8, 8)
    loss = depth_loss(pred, target)
    torch.testing.assert_close(loss, official_masked(pred, target, 'depth'))
    changed = pred.clone()
    changed[:, :, :3] = 100  # garbage where the target is invalid
    torch.testing.assert_close(depth_loss(changed, target), loss)
    valid = target[:, :, 3:]
    torch.testing.assert_close(loss, (pred[:, :, 3:] - valid).abs().mean())


def test_normal_loss_is_one_minus_mean_cosine_over_valid_pixels():
    target = functional.normalize(torch.randn(1, 3, 4, 4), dim=1)
    target[..., 0] = 0
    pred = functional.normalize(torch.randn(1, 3, 4, 4), dim=1)
    loss = normal_loss(pred, target)
    torch.testing.assert_close(loss, official_masked(pred, target, 'normal'))
    cos = (pred * target).sum(1)[..., 1:]
    torch.testing.assert_close(loss, 1 - cos.mean())
    assert abs(float(normal_loss(target, target))) < 1e-6


def test_seg_loss_ignores_label_minus_one():
    logits = torch.randn(1, 3, 2, 2)
    target = torch.tensor([[[0, 2], [-1, 1]]])
    log_probs = logits.log_softmax(1)
    expected = -(log_probs[0, 0, 0, 0] + log_probs[0, 2, 0, 1] + log_probs[0, 1, 1, 1]) / 3
    torch.testing.assert_close(seg_loss(log_probs, target), expected)
