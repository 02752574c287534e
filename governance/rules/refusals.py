"""The one exception a refused transition raises (docs/architecture.md, Workflows: refused with a clear reason)."""

from __future__ import annotations


class TransitionRefused(Exception):
    """A rule forbids the change; `reason` is shown to the person as is (in their language)."""

    def __init__(self, reason: str, *, clause: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.clause = clause

    def __str__(self) -> str:
        return f"{self.reason}（依据：{self.clause}）" if self.clause else self.reason
