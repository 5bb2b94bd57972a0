# TRADES on the PilotNet-size steering regressor (β = 6, squared output distance).
_base_ = ['./pgd-at_pilotnet_1xb64-50e_lane-keeping.py']
model = dict(method='trades', beta=6.0)
