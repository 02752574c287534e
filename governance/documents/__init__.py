"""The meeting-agnostic layer of official documents: GB/T 9704-2012 layout and the renderers built on it."""
