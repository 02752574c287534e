"""Writes, one named action each (docs/architecture.md, Writes): presets, meetings, agenda, attendance, votes."""

from .presets import PresetError, PresetReport, load_presets

__all__ = ["PresetError", "PresetReport", "load_presets"]
