"""mmagic's BasicVSRNet with a configurable flow estimator (the benchmark's BasicVSR baseline)."""
from __future__ import annotations

from mmagic.models.editors.basicvsr.basicvsr_net import BasicVSRNet
from mmagic.registry import MODELS


@MODELS.register_module()
class BasicVSRNetWithFlow(BasicVSRNet):
    """mmagic's ``BasicVSRNet`` unchanged, except that its ``spynet`` can be another estimator.

    The tiny configs compare TTVSR and BasicVSR with the same flow; where that flow is not
    SPyNet (:class:`~projects.ttvsr.models.DISFlow` stands in for the pre-trained SPyNet on
    CPU), this is the only way to give it to mmagic's network, which builds its SPyNet itself.

    Args:
        mid_channels (int): Feature channels. Defaults to 64.
        num_blocks (int): Residual blocks per propagation branch. Defaults to 30.
        spynet_pretrained (str, optional): SPyNet state dict, when ``flow_estimator`` is None.
            Defaults to None.
        flow_estimator (dict, optional): Config of a module with SPyNet's ``forward(ref,
            supp)`` (mmagic ``MODELS``) that replaces SPyNet. Defaults to None (SPyNet).
    """

    def __init__(self, mid_channels: int = 64, num_blocks: int = 30,
                 spynet_pretrained: str | None = None,
                 flow_estimator: dict | None = None) -> None:
        check_flow_args(type(self).__name__, spynet_pretrained, flow_estimator)
        super().__init__(mid_channels, num_blocks, spynet_pretrained)
        if flow_estimator is not None:
            # Kept under the name ``spynet``: the editor's fix_iter logic and the forward
            # passes address the flow network by that name.
            self.spynet = MODELS.build(flow_estimator)


def check_flow_args(owner: str, spynet_pretrained: str | None,
                    flow_estimator: dict | None) -> None:
    """Refuses a SPyNet checkpoint together with another flow estimator (one would be unused).

    Raises:
        ValueError: If both are given.
    """
    if spynet_pretrained is not None and flow_estimator is not None:
        raise ValueError(f'{owner}: spynet_pretrained={spynet_pretrained!r} is given together '
                         f'with flow_estimator={flow_estimator!r}, which replaces SPyNet; '
                         'set one of them to None.')
