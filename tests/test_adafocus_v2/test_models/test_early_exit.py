"""Frame-by-frame inference with conditional exit: the batched model's exits, for real."""
from __future__ import annotations

import pytest
import torch
from mmaction.registry import MODELS

from projects.adafocus_v2.evaluation import confidence, exit_steps
from tests.test_adafocus_v2.conftest import tiny_model_cfg
from tests.test_adafocus_v2.test_models.test_recognizer import samples


def trained_like_model(**overrides):
    """The tiny model with random batch-norm statistics, in eval mode."""
    model = MODELS.build(tiny_model_cfg(**overrides))
    model.init_weights()
    for m in model.modules():
        if isinstance(m, torch.nn.modules.batchnorm._BatchNorm):
            m.running_mean.uniform_(-0.2, 0.2)
            m.running_var.uniform_(0.5, 1.5)
    return model.eval()


def midpoint_thresholds(conf: torch.Tensor) -> list[float]:
    """Thresholds half-way between neighbouring confidences (no ties with rounding): about
    a third of the videos exit at each of the first steps."""
    thresholds = []
    for step in range(conf.shape[1] - 1):
        c = conf[:, step].sort(descending=True).values
        k = max(1, len(c) // 3)
        thresholds.append(float(c[k - 1] + c[k]) / 2)
    return thresholds + [-float('inf')]


@pytest.mark.parametrize('kind', ['max_logit', 'max_softmax'])
def test_streaming_exits_where_the_batched_model_would(kind):
    torch.manual_seed(0)
    model = trained_like_model()
    inputs = torch.randn(9, 4, 3, 32, 32)
    with torch.no_grad():
        batched = model.run(inputs)['cls']                     # (B, S, K)
    thresholds = midpoint_thresholds(confidence(batched, kind))
    expected = exit_steps(confidence(batched, kind), torch.tensor(thresholds))
    model.set_early_exit(thresholds, kind)
    calls = []
    model.local_encoder.register_forward_hook(lambda m, i, o: calls.append(len(i[0])))
    out = model.stream(inputs)
    assert out['steps'].tolist() == expected.tolist()
    assert len(set(expected.tolist())) > 1  # videos exit at different steps
    torch.testing.assert_close(out['logits'], batched[torch.arange(9), expected],
                               rtol=1e-5, atol=1e-5)
    # f_L ran once per video and frame up to its exit: the saving is real computation.
    assert sum(calls) == int((expected + 1).sum()) < 9 * 4
    assert torch.isnan(out['actions'][expected == 0, 1:]).all()


def test_predict_uses_the_exits_and_tools_can_switch_them_off():
    torch.manual_seed(0)
    model = trained_like_model(early_exit=dict(thresholds=[-float('inf')] * 4))
    inputs = torch.randn(2, 4, 3, 32, 32)
    predicted = model.predict(inputs, samples(2))
    with torch.no_grad():
        first_step = model.run(inputs)['cls'][:, 0]
    assert [int(s.exit_step) for s in predicted] == [0, 0]
    torch.testing.assert_close(torch.stack([s.pred_score for s in predicted]),
                               first_step.softmax(-1), rtol=1e-5, atol=1e-6)
    model.set_early_exit(None)
    assert not hasattr(model.predict(inputs, samples(2))[0], 'exit_step')


def test_designs_that_cannot_stream_are_refused():
    with pytest.raises(ValueError, match='4 steps'):
        trained_like_model(early_exit=dict(thresholds=[0.0, 0.0]))
    per_clip = dict(type='PolicyNetwork', in_channels=128, spatial_size=4, num_frames=4,
                    reduced_channels=8, hidden_dims=(16, ), recurrent=False, per_clip=True)
    with pytest.raises(ValueError, match='frame-by-frame design'):
        trained_like_model(policy=per_clip, early_exit=dict(thresholds=[0.0] * 4))
