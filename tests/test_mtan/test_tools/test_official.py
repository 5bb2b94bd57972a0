"""The official-checkpoint converter, and the comparison with a checkout of lorenmt/mtan when
one is given (MTAN_OFFICIAL_REPO)."""
import os

import pytest
import torch

import projects.mtan  # noqa: F401
from projects.mtan.models import MTAN
from tests.conftest import load_tool

convert = load_tool('projects/mtan/tools/convert_official.py')

# Official names (lorenmt/mtan im2im_pred/model_segnet_mtan.py) and ours.
CASES = {
    'encoder_block.0.0.weight': 'backbone.enc_first.0.conv.weight',
    'encoder_block.3.1.running_var': 'backbone.enc_first.3.bn.running_var',
    'conv_block_enc.1.0.bias': 'backbone.enc_rest.1.0.conv.bias',
    'conv_block_enc.2.1.1.weight': 'backbone.enc_rest.2.1.bn.weight',
    'decoder_block.4.0.weight': 'backbone.dec_first.0.conv.weight',
    'conv_block_dec.0.1.running_mean': 'backbone.dec_rest.4.0.bn.running_mean',
    'conv_block_dec.3.0.0.weight': 'backbone.dec_rest.1.0.conv.weight',
    'encoder_att.2.4.3.weight': 'attention.encoder_att.2.4.excite.conv.weight',
    'decoder_att.1.0.1.bias': 'attention.decoder_att.1.4.squeeze.bn.bias',
    'encoder_block_att.4.0.weight': 'attention.encoder_shared.4.conv.weight',
    'decoder_block_att.4.1.num_batches_tracked':
        'attention.decoder_shared.0.bn.num_batches_tracked',
    'pred_task3.1.weight': 'heads.normal.pred.weight',
}


def test_keys_map_onto_the_model():
    model = MTAN(backbone=dict(type='SegNet'), attention=dict(type='MTANAttention'))
    keys = set(model.state_dict())
    for official, ours in CASES.items():
        assert convert.convert_key(official) == ours
        assert ours in keys, ours
    assert convert.convert_key('pred_task.0.bias', task='depth') == 'heads.depth.conv.bias'
    with pytest.raises(KeyError, match='official SegNet'):
        convert.convert_key('fc.weight')


def test_convert_file(tmp_path):
    src, dst = str(tmp_path / 'official.pth'), str(tmp_path / 'ours.pth')
    torch.save({'module.pred_task1.0.weight': torch.ones(2),
                'logsigma': torch.tensor([-0.5, -0.5, -0.5])}, src)
    convert.main([src, dst])
    checkpoint = torch.load(dst)
    assert list(checkpoint['state_dict']) == ['heads.seg.conv.weight']
    assert checkpoint['loss_weighting']['log_vars'].tolist() == [-0.5] * 3


@pytest.mark.skipif(not os.environ.get('MTAN_OFFICIAL_REPO'),
                    reason='set MTAN_OFFICIAL_REPO to a checkout of lorenmt/mtan')
def test_outputs_equal_the_official_model():
    compare = load_tool('projects/mtan/tools/compare_official.py')
    assert compare.main(['--official-repo', os.environ['MTAN_OFFICIAL_REPO'],
                         '--size', '32', '64', '--batch', '1']) == 0
