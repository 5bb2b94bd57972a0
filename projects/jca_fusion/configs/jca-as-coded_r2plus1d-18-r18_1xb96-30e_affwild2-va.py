# Ablation on Aff-Wild2: the official code's regressor input [raw X_v, X_att,v], the 512-d
# visual feature before its projection beside the attended 128-d one (640-d; T-BIOM
# models/cam.py, and CVPR-W models/cam.py before its Dec 2022 fix, issue #4).
_base_ = ['./jca_r2plus1d-18-r18_1xb96-30e_affwild2-va.py']
model = dict(fusion=dict(output='as_coded'))
