"""Writes, one named action each (STYLE.md §4): presets, meetings, agenda, attendance, votes."""

from .presets import PresetError, PresetReport, load_presets

__all__ = ["PresetError", "PresetReport", "load_presets"]
