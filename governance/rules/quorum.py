"""Quorum and vote outcome as pure functions (R-QU-1..4, R-VO-1..2): no ORM, no clock.

Thresholds are exact fractions with an inclusive flag (R-QU-3): "半数以上" is 1/2 inclusive, because
以上 includes the number itself (Civil Code art. 1259); "过半数" (more than half) is 1/2 exclusive.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from .wording import _, language


@dataclass(frozen=True)
class Threshold:
    """A share of a base that must be reached (inclusive) or exceeded (exclusive)."""

    share: Fraction
    inclusive: bool = True

    def __post_init__(self) -> None:
        if not isinstance(self.share, Fraction):
            # Floats would make 2/3 of 6 fail or pass by rounding; refuse them outright (R-QU-3).
            raise TypeError(f"Threshold.share must be a Fraction, not {type(self.share).__name__}")
        if not 0 <= self.share <= 1:
            raise ValueError("Threshold.share must lie between 0 and 1")

    def met(self, count: int, base: int) -> bool:
        """R-QU-3: does `count` out of `base` reach the threshold? Exact, inclusive or strict."""
        if count < 0 or base < 0 or count > base:
            raise ValueError("count must lie between 0 and base")
        if base == 0:
            return False
        ratio = Fraction(count, base)
        return ratio >= self.share if self.inclusive else ratio > self.share

    def minimum(self, base: int) -> int:
        """The smallest count out of `base` that meets the threshold (may exceed base if unreachable)."""
        if base <= 0:
            return 1
        exact = self.share * base
        if self.inclusive:
            return max(1, math.ceil(exact))
        return math.floor(exact) + 1

    def describe(self) -> str:
        """The wording the regulations use: 半数以上, 三分之二以上, 超过半数 (translated when English is chosen)."""
        name = _fraction_name(self.share)
        if self.inclusive:
            return _("%(share)s以上") % {"share": name}
        return _("超过%(share)s") % {"share": name}


def _fraction_name(share: Fraction) -> str:
    if share == Fraction(1, 2):
        return _("半数")
    if share == 1:
        return _("全体")
    digits = "零一二三四五六七八九十"
    if share.denominator <= 10 and share.numerator <= 10 and language() in (None, "zh-hans"):
        return f"{digits[share.denominator]}分之{digits[share.numerator]}"
    return f"{share.numerator}/{share.denominator}"


@dataclass(frozen=True)
class QuorumCheck:
    """The outcome of a quorum check, with what it takes to pass."""

    ok: bool
    present: int
    members: int
    required: int
    threshold: Threshold | None

    @property
    def missing(self) -> int:
        """How many more members must be present for the check to pass."""
        return max(0, self.required - self.present)


def check_quorum(*, members: int, present_members: int, threshold: Threshold | None) -> QuorumCheck:
    """R-QU-1, R-QU-4: may the meeting proceed with `present_members` of its `members` present?

    Only members count: callers pass the number of members present, never invitees (列席), who do
    not count toward quorum (R-QU-4). No threshold means the type sets no quorum.
    """
    if present_members < 0 or members < 0 or present_members > members:
        raise ValueError("present_members must lie between 0 and members")
    if threshold is None:
        return QuorumCheck(ok=True, present=present_members, members=members, required=0, threshold=None)
    required = threshold.minimum(members)
    return QuorumCheck(
        ok=threshold.met(present_members, members), present=present_members, members=members,
        required=required, threshold=threshold,
    )


def check_topic_quorum(
    *, members: int, present_members: int, meeting_threshold: Threshold | None,
    special_threshold: Threshold | None, is_personnel: bool,
) -> QuorumCheck:
    """R-QU-2: quorum per topic. A personnel topic needs the special threshold (PG: 三分之二以上)
    as well as the meeting's; other topics need the meeting's."""
    general = check_quorum(members=members, present_members=present_members, threshold=meeting_threshold)
    if not is_personnel or special_threshold is None:
        return general
    special = check_quorum(members=members, present_members=present_members, threshold=special_threshold)
    # The stricter of the two decides; both are measured against the same members.
    return special if special.required >= general.required else general


@dataclass(frozen=True)
class VoteOutcome:
    passed: bool
    votes_for: int
    against: int
    abstain: int
    base: int
    required: int


def vote_outcome(
    *, votes_for: int, against: int, abstain: int, members: int, present_members: int,
    threshold: Threshold, basis: str,
) -> VoteOutcome:
    """R-VO-1, R-VO-2: does the topic pass? Majority rule over the type's basis.

    `basis` is "members" (all members who should attend, 应到会成员: the PG default, so absentees
    weigh like votes against) or "present" (members present). Only members vote (R-QU-4).
    """
    for n in (votes_for, against, abstain, members, present_members):
        if n < 0:
            raise ValueError("counts cannot be negative")
    if present_members > members:
        raise ValueError("more members present than there are members")
    if votes_for + against + abstain > present_members:
        raise ValueError("more votes than members present")
    if basis == "members":
        base = members
    elif basis == "present":
        base = present_members
    else:
        raise ValueError(f"unknown vote basis {basis!r}")
    return VoteOutcome(
        passed=threshold.met(votes_for, base) if base else False,
        votes_for=votes_for, against=against, abstain=abstain, base=base, required=threshold.minimum(base),
    )
