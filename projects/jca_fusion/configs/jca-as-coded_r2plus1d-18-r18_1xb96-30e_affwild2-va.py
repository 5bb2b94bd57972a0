# Ablation on Aff-Wild2: the official code's regressor input [X_v, X_att,v]
# (CVPR-W models/cam.py before its Dec 2022 fix, issue #4).
_base_ = ['./jca_r2plus1d-18-r18_1xb96-30e_affwild2-va.py']
model = dict(fusion=dict(output='as_coded'))
