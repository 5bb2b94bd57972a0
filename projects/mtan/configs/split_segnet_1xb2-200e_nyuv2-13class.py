# The split baseline (official model_segnet_split.py --type standard): SegNet with one head
# per task, no attention, equal weights, on NYUv2.
_base_ = ['./mtan_segnet_1xb2-200e_nyuv2-13class.py']
model = dict(attention=None)
