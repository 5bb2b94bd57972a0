# The split (multi-head, hard sharing) baseline: the same SegNet, no attention, a head per task.
_base_ = ['./mtan_segnet-w8_1xb8-25e_tiny-toy-scenes.py']
model = dict(attention=None)
