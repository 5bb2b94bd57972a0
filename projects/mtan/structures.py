"""The data sample of dense multi-task prediction."""
from mmengine.structures import BaseDataElement


class MultiTaskDataSample(BaseDataElement):
    """Ground truth and predictions of one image for dense tasks.

    Fields (each optional, set by the pipeline or the model):

    - ``gt_seg`` / ``pred_seg``: (H, W) int64 class map; -1 marks unlabelled pixels.
    - ``gt_depth`` / ``pred_depth``: (1, H, W) float depth; 0 marks invalid pixels.
    - ``gt_normal`` / ``pred_normal``: (3, H, W) float unit normals; 0 marks invalid pixels.

    The invalid markers are those of the official pre-processed data (Liu et al., CVPR 2019,
    lorenmt/mtan ``im2im_pred/utils.py``, ``model_fit``).
    """
