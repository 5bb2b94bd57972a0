"""Datasets and transforms of the TTVSR project (SPyNet pre-training on known camera motion)."""
from .flow_pairs import FlowAugment, FlowPairDataset, GenerateCameraFlow, PackFlowInputs

__all__ = ['FlowAugment', 'FlowPairDataset', 'GenerateCameraFlow', 'PackFlowInputs']
