"""Engine parts of the CMPL project: exporting the primary network."""
from .export import ExportPrimaryHook, export_primary, primary_state_dict

__all__ = ['ExportPrimaryHook', 'export_primary', 'primary_state_dict']
