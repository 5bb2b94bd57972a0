"""The HAT recogniser as an mmengine model: NLL, (LM-aware) MWER and fusion-weight training;
beam search with shallow fusion, or N-best rescoring, at test time."""
from __future__ import annotations

import torch
from mmengine.model import BaseModel
from mmengine.structures import BaseDataElement

from ..registry import MODELS
from .beam_search import beam_search
from .mwer import mwer_loss, word_errors
from .tokenizer import CharTokenizer
from .transducer_loss import hat_transducer_loss

TRAIN_MODES = ('nll', 'mwer', 'rescore')
RESCORE_MODES = (None, 'fixed', 'learned')


@MODELS.register_module()
class HATASR(BaseModel):
    """Hybrid Autoregressive Transducer with LM fusion and MWER training.

    Args:
        encoder (dict): Acoustic encoder config (``LSTMEncoder`` or ``ConformerEncoder``).
        prediction (dict): ``PredictionNetwork`` config without ``num_labels``.
        joint (dict): ``HATJoint`` config: ``joint_channels`` (sizes are filled in).
        data_preprocessor (dict, optional): Defaults to ``LogMelPreprocessor()``.
        chars (str, optional): Output alphabet (default: a-z, apostrophe, space).
        max_tokens (int): Width of the padded ``pred_tokens`` / ``gt_tokens``. Defaults to 64.
        train_mode (str): ``'nll'`` (transducer loss), ``'mwer'`` (MWER + ``nll_weight`` NLL;
            LM-aware when ``mwer.lm_aware``) or ``'rescore'`` (only the fusion module trains,
            with MWER on the no-LM N-best; HAT frozen). Defaults to ``'nll'``.
        mwer (dict, optional): ``beam`` (N of the N-best), ``nll_weight`` (alpha),
            ``lm_aware``, ``lm_weight`` (lambda), ``ilm_weight`` (beta), ``length_reward``.
        lm (dict, optional): External LM config (``KNGramLM`` or ``LSTMLM``); frozen and kept
            out of the state dict.
        decode (dict, optional): ``beam``, ``lm_weight``, ``ilm_weight``, ``length_reward``,
            ``rescore`` (None: fused beam search; ``'fixed'``: no-LM beam then rescoring with
            the fixed weights; ``'learned'``: rescoring with the fusion module's weights).
        fusion (dict, optional): ``FusionWeightModule`` config (sizes filled in).
    """

    def __init__(self, encoder: dict, prediction: dict, joint: dict,
                 data_preprocessor: dict | None = None, chars: str | None = None,
                 max_tokens: int = 64, train_mode: str = 'nll', mwer: dict | None = None,
                 lm: dict | None = None, decode: dict | None = None,
                 fusion: dict | None = None, init_cfg: dict | None = None) -> None:
        if isinstance(data_preprocessor, dict) or data_preprocessor is None:
            data_preprocessor = MODELS.build(
                data_preprocessor or dict(type='LogMelPreprocessor'))
        super().__init__(data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        if train_mode not in TRAIN_MODES:
            raise ValueError(f'model.train_mode={train_mode!r}; choose one of {TRAIN_MODES}.')
        self.tokenizer = CharTokenizer(chars) if chars else CharTokenizer()
        v = self.tokenizer.num_labels
        self.max_tokens = max_tokens
        self.train_mode = train_mode
        self.encoder = MODELS.build(encoder)
        self.prediction = MODELS.build(dict(prediction, num_labels=v))
        self.joint = MODELS.build(dict(joint, enc_channels=self.encoder.out_channels,
                                       pred_channels=self.prediction.out_channels, num_labels=v))
        self.mwer_cfg = {**dict(beam=4, nll_weight=0.01, lm_aware=False, lm_weight=0.0,
                                ilm_weight=0.0, length_reward=0.0), **(mwer or {})}
        self.decode_cfg = {**dict(beam=4, lm_weight=0.0, ilm_weight=0.0, length_reward=0.0,
                                  rescore=None), **(decode or {})}
        if self.decode_cfg['rescore'] not in RESCORE_MODES:
            raise ValueError(f"model.decode.rescore={self.decode_cfg['rescore']!r}; choose "
                             f'one of {RESCORE_MODES}.')
        # The external LM is frozen and not part of the recogniser's checkpoint.
        self.__dict__['lm'] = MODELS.build(lm) if lm else None
        needs_lm = (train_mode == 'rescore' or self.decode_cfg['rescore']
                    or self.decode_cfg['lm_weight'] or self.mwer_cfg['lm_aware'])
        if needs_lm and self.lm is None:
            raise ValueError('model.lm is needed by the LM-aware MWER, rescoring or fused '
                             'decoding set in this config; add model.lm.')
        self.fusion = MODELS.build(dict(fusion, enc_channels=self.encoder.out_channels,
                                        num_labels=v)) if fusion else None
        if (train_mode == 'rescore' or self.decode_cfg['rescore'] == 'learned') and \
                self.fusion is None:
            raise ValueError('train_mode="rescore" and decode.rescore="learned" need '
                             'model.fusion (a FusionWeightModule config).')
        if train_mode == 'rescore':
            for part in (self.encoder, self.prediction, self.joint):
                part.requires_grad_(False)

    def train(self, mode: bool = True):
        super().train(mode)
        if self.train_mode == 'rescore':
            for part in (self.encoder, self.prediction, self.joint):
                part.eval()
        return self

    # ------------------------------------------------------------------ pieces
    def encode(self, feats: torch.Tensor, samples) -> tuple[torch.Tensor, torch.Tensor]:
        lengths = torch.stack([s.num_frames for s in samples]).to(feats.device)
        return self.encoder(feats, lengths), lengths

    def _pad(self, seqs: list[list[int]]) -> tuple[torch.Tensor, torch.Tensor]:
        device = self.joint.label_head.weight.device
        u_max = max([len(s) for s in seqs] + [1])
        tokens = torch.zeros(len(seqs), u_max, dtype=torch.long, device=device)
        for i, s in enumerate(seqs):
            tokens[i, :len(s)] = torch.tensor(s, dtype=torch.long)
        return tokens, torch.tensor([len(s) for s in seqs], device=device)

    def nll(self, enc, enc_lengths, seqs: list[list[int]]) -> torch.Tensor:
        """``-log P_HAT(y | x)`` [B] for label sequences ``seqs`` (one per row of ``enc``)."""
        tokens, lengths = self._pad(seqs)
        label_logp, blank_logp = self.joint(enc, self.prediction(tokens))
        return hat_transducer_loss(label_logp, blank_logp, tokens, enc_lengths, lengths)

    def token_scores(self, seqs: list[list[int]]) -> tuple[torch.Tensor, torch.Tensor,
                                                          torch.Tensor, torch.Tensor]:
        """Per-token ILM log-probs (with gradient) and external-LM log-probs (frozen).

        Returns:
            tuple: tokens [N, U], mask [N, U], ILM [N, U], LM [N, U] (zeros without an LM).
        """
        tokens, lengths = self._pad(seqs)
        mask = torch.arange(tokens.shape[1], device=tokens.device)[None] < lengths[:, None]
        ilm = self.joint.ilm_logprobs(self.prediction(tokens)[:, :-1])
        ilm = ilm.gather(2, tokens[..., None])[..., 0] * mask
        if self.lm is not None:
            with torch.no_grad():
                lm = self.lm.sequence_logprobs(seqs)[0].to(ilm.device)
            lm = lm[:, :tokens.shape[1]] * mask
        else:
            lm = torch.zeros_like(ilm)
        return tokens, mask, ilm, lm

    def nbest(self, enc, enc_lengths, beam: int, lm_weight: float = 0.0,
              ilm_weight: float = 0.0, length_reward: float = 0.0):
        was_training = self.training
        self.eval()
        lists = beam_search(enc.detach(), enc_lengths, self.prediction, self.joint, beam=beam,
                            lm=self.lm, lm_weight=lm_weight, ilm_weight=ilm_weight,
                            length_reward=length_reward)
        self.train(was_training)
        return lists

    def _flatten(self, enc, enc_lengths, lists, n: int):
        """Repeat each utterance for its N hypotheses (missing ones padded, marked invalid)."""
        seqs, valid = [], []
        for row in lists:
            for j in range(n):
                seqs.append(row[j][0] if j < len(row) else [])
                valid.append(j < len(row))
        valid = torch.tensor(valid, device=enc.device).view(len(lists), n)
        return (enc.repeat_interleave(n, 0), enc_lengths.repeat_interleave(n, 0), seqs, valid)

    def hypothesis_scores(self, enc, enc_lengths, lists, n: int, lm_weight, ilm_weight,
                          length_reward: float = 0.0, weights_from=None):
        """Fused scores s_i [B, N] of N-best ``lists`` and the validity mask.

        ``s_i = log P_HAT(y_i|x) + sum_u (lambda_u log P_LM - beta_u log P_ILM) + reward |y_i|``
        with fixed (lambda, beta) or, when ``weights_from`` is the fusion module, per-token
        weights it predicts.
        """
        enc_n, len_n, seqs, valid = self._flatten(enc, enc_lengths, lists, n)
        hat = -self.nll(enc_n, len_n, seqs)
        scores = hat
        if lm_weight or ilm_weight or weights_from is not None or length_reward:
            tokens, mask, ilm, lm = self.token_scores(seqs)
            if weights_from is not None:
                frame_mask = (torch.arange(enc.shape[1], device=enc.device)[None]
                              < enc_lengths[:, None])
                pooled = (enc * frame_mask[..., None]).sum(1) / enc_lengths[:, None]
                lam, beta = weights_from(pooled.repeat_interleave(n, 0).detach(), tokens,
                                         lm, ilm.detach())
            else:
                lam, beta = lm_weight, ilm_weight
            scores = scores + ((lam * lm - beta * ilm) * mask).sum(1) + \
                length_reward * mask.sum(1)
        return scores.view(len(lists), n), valid

    # ------------------------------------------------------------------ BaseModel API
    def forward(self, inputs: torch.Tensor, data_samples=None, mode: str = 'tensor'):
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        if mode == 'tensor':
            return self.encode(inputs, data_samples)[0]
        raise RuntimeError(f'Invalid mode {mode!r}; expected loss, predict or tensor.')

    def _targets(self, samples) -> tuple[list[list[int]], list[str]]:
        seqs = [[t for t in s.gt_tokens.tolist() if t >= 0] for s in samples]
        return seqs, [s.gt_text for s in samples]

    def loss(self, inputs: torch.Tensor, data_samples) -> dict[str, torch.Tensor]:
        targets, refs = self._targets(data_samples)
        if self.train_mode == 'rescore':
            with torch.no_grad():
                enc, enc_lengths = self.encode(inputs, data_samples)
        else:
            enc, enc_lengths = self.encode(inputs, data_samples)
        if self.train_mode == 'nll':
            return dict(loss_nll=self.nll(enc, enc_lengths, targets).mean())
        cfg = self.mwer_cfg
        if self.train_mode == 'rescore':
            lists = self.nbest(enc, enc_lengths, cfg['beam'])
            scores, valid = self.hypothesis_scores(enc, enc_lengths, lists, cfg['beam'], 0.0,
                                                   0.0, weights_from=self.fusion)
        else:
            lam = cfg['lm_weight'] if cfg['lm_aware'] else 0.0
            beta = cfg['ilm_weight'] if cfg['lm_aware'] else 0.0
            reward = cfg['length_reward'] if cfg['lm_aware'] else 0.0
            lists = self.nbest(enc, enc_lengths, cfg['beam'], lam, beta, reward)
            scores, valid = self.hypothesis_scores(enc, enc_lengths, lists, cfg['beam'], lam,
                                                   beta, reward)
        errors = torch.tensor(
            [[word_errors(self.tokenizer.decode(row[j][0]) if j < len(row) else '', ref)
              for j in range(cfg['beam'])] for row, ref in zip(lists, refs, strict=True)],
            dtype=scores.dtype, device=scores.device)
        losses = dict(loss_mwer=mwer_loss(scores, errors, valid).mean())
        if self.train_mode == 'mwer' and cfg['nll_weight']:
            losses['loss_nll'] = cfg['nll_weight'] * self.nll(enc, enc_lengths, targets).mean()
        return losses

    @torch.no_grad()
    def decode(self, enc, enc_lengths, **overrides) -> list[list[int]]:
        """Best label sequence per utterance under ``decode`` (overridable per call)."""
        cfg = dict(self.decode_cfg, **overrides)
        if cfg['rescore'] is None:
            lists = self.nbest(enc, enc_lengths, cfg['beam'], cfg['lm_weight'],
                               cfg['ilm_weight'], cfg['length_reward'])
            return [row[0][0] if row else [] for row in lists]
        lists = self.nbest(enc, enc_lengths, cfg['beam'])
        fusion = self.fusion if cfg['rescore'] == 'learned' else None
        scores, valid = self.hypothesis_scores(enc, enc_lengths, lists, cfg['beam'],
                                               cfg['lm_weight'], cfg['ilm_weight'],
                                               cfg['length_reward'], weights_from=fusion)
        best = scores.masked_fill(~valid, float('-inf')).argmax(1).tolist()
        return [row[j][0] if row else [] for row, j in zip(lists, best, strict=True)]

    def predict(self, inputs: torch.Tensor, data_samples) -> list[BaseDataElement]:
        enc, enc_lengths = self.encode(inputs, data_samples)
        best = self.decode(enc, enc_lengths)
        for sample, seq in zip(data_samples, best, strict=True):
            tokens = torch.full((self.max_tokens,), -1, dtype=torch.long)
            seq = seq[:self.max_tokens]
            tokens[:len(seq)] = torch.tensor(seq, dtype=torch.long)
            sample.pred_tokens = tokens
            sample.pred_text = self.tokenizer.decode(seq)
        return data_samples


__all__ = ['HATASR']
