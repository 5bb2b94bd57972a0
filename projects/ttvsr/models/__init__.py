"""TTVSR models, registered in mmagic's MODELS registry.

``spynet_pretraining`` (SPyNet pre-training on embedded data) is imported by the package
``projects.ttvsr`` itself, not here.
"""
from .basicvsr_flow import BasicVSRNetWithFlow
from .dis_flow import DISFlow
from .ltam import LTAM, tokenize, untokenize
from .single_frame_net import SingleFrameVSRNet
from .ttvsr import TTVSR, centre_frame_copies, mirror_twice
from .ttvsr_net import TTVSRNet, keyframe_indices, token_grid, update_locations

__all__ = ['BasicVSRNetWithFlow', 'DISFlow', 'LTAM', 'SingleFrameVSRNet', 'TTVSR', 'TTVSRNet',
           'centre_frame_copies', 'keyframe_indices', 'mirror_twice', 'token_grid', 'tokenize',
           'untokenize', 'update_locations']
