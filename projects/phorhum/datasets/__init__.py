"""Scan-render data (:class:`ScanRenderDataset`) and its transforms. The embedded builder
(:mod:`.embedded_humans`) is imported only by the tiny configs."""
from .scan_dataset import LoadScanRender, PackPhorhumInputs, ScanRenderDataset

__all__ = ['LoadScanRender', 'PackPhorhumInputs', 'ScanRenderDataset']
