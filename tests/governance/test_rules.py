"""Quorum and vote rules, tested as pure functions without a database (R-QU-1..4, R-VO-1..2)."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance.rules.quorum import Threshold, check_quorum, check_topic_quorum, vote_outcome

HALF_OR_MORE = Threshold(Fraction(1, 2), inclusive=True)  # 半数以上
TWO_THIRDS_OR_MORE = Threshold(Fraction(2, 3), inclusive=True)  # 三分之二以上
MORE_THAN_HALF = Threshold(Fraction(1, 2), inclusive=False)  # 过半数


def test_r_qu_1_meeting_needs_half_of_members_present():
    """R-QU-1."""
    assert not check_quorum(members=7, present_members=3, threshold=HALF_OR_MORE).ok
    assert check_quorum(members=7, present_members=4, threshold=HALF_OR_MORE).ok


def test_r_qu_3_three_of_six_is_half_or_more():
    """R-QU-3: 以上 includes the number itself (Civil Code art. 1259)."""
    result = check_quorum(members=6, present_members=3, threshold=HALF_OR_MORE)
    assert result.ok and result.required == 3 and result.missing == 0


def test_r_qu_2_four_of_six_is_two_thirds_but_three_of_six_is_not():
    """R-QU-2."""
    assert check_topic_quorum(members=6, present_members=4, meeting_threshold=HALF_OR_MORE,
                              special_threshold=TWO_THIRDS_OR_MORE, is_personnel=True).ok
    short = check_topic_quorum(members=6, present_members=3, meeting_threshold=HALF_OR_MORE,
                               special_threshold=TWO_THIRDS_OR_MORE, is_personnel=True)
    assert not short.ok and short.required == 4 and short.missing == 1


def test_r_qu_2_personnel_topic_needs_two_thirds_present():
    """R-QU-2."""
    result = check_topic_quorum(members=7, present_members=4, meeting_threshold=HALF_OR_MORE,
                                special_threshold=TWO_THIRDS_OR_MORE, is_personnel=True)
    assert not result.ok
    assert result.required == 5 and result.missing == 1
    assert result.threshold.describe() == "三分之二以上"


def test_r_qu_2_quorum_is_checked_per_topic():
    """R-QU-2: The same attendance passes an ordinary topic and fails a personnel one."""
    common = dict(members=9, present_members=5, meeting_threshold=HALF_OR_MORE, special_threshold=TWO_THIRDS_OR_MORE)
    assert check_topic_quorum(**common, is_personnel=False).ok
    assert not check_topic_quorum(**common, is_personnel=True).ok


def test_r_qu_2_four_of_six_passes_but_three_of_five_fails_two_thirds():
    """R-QU-2."""
    assert TWO_THIRDS_OR_MORE.met(4, 6)
    assert not TWO_THIRDS_OR_MORE.met(3, 5)
    assert TWO_THIRDS_OR_MORE.minimum(6) == 4


def test_r_qu_2_issue_boundary_four_of_six_fails_two_thirds_strict():
    """R-QU-2: Strictly more than two thirds (exclusive) is not met by 4 of 6; inclusive is."""
    assert not Threshold(Fraction(2, 3), inclusive=False).met(4, 6)
    assert Threshold(Fraction(2, 3), inclusive=True).met(4, 6)


def test_r_qu_1_half_or_more_boundary_both_ways():
    """R-QU-1, R-QU-3: 半数以上 of 6 members: exactly 3 passes, 2 does not; with the inclusive flag off
    (超过半数) 3 does not pass and 4 does."""
    assert check_quorum(members=6, present_members=3, threshold=HALF_OR_MORE).ok
    below = check_quorum(members=6, present_members=2, threshold=HALF_OR_MORE)
    assert not below.ok and below.required == 3 and below.missing == 1
    strict = check_quorum(members=6, present_members=3, threshold=MORE_THAN_HALF)
    assert not strict.ok and strict.required == 4 and strict.missing == 1
    assert check_quorum(members=6, present_members=4, threshold=MORE_THAN_HALF).ok


def test_r_qu_2_two_thirds_boundary_both_ways():
    """R-QU-2, R-QU-3: 三分之二以上 of 9 members: exactly 6 passes, 5 does not; strictly more than two
    thirds (inclusive flag off) 6 does not pass and 7 does."""
    common = dict(members=9, meeting_threshold=HALF_OR_MORE, is_personnel=True)
    at_threshold = check_topic_quorum(present_members=6, special_threshold=TWO_THIRDS_OR_MORE, **common)
    assert at_threshold.ok and at_threshold.required == 6
    below = check_topic_quorum(present_members=5, special_threshold=TWO_THIRDS_OR_MORE, **common)
    assert not below.ok and below.missing == 1
    strict = Threshold(Fraction(2, 3), inclusive=False)
    assert not check_topic_quorum(present_members=6, special_threshold=strict, **common).ok
    assert check_topic_quorum(present_members=7, special_threshold=strict, **common).required == 7
    assert check_topic_quorum(present_members=7, special_threshold=strict, **common).ok


@pytest.mark.parametrize(("share", "inclusive", "base", "minimum"), [
    (Fraction(1, 2), True, 6, 3), (Fraction(1, 2), True, 7, 4), (Fraction(1, 2), False, 6, 4),
    (Fraction(1, 2), False, 7, 4), (Fraction(2, 3), True, 6, 4), (Fraction(2, 3), True, 7, 5),
    (Fraction(2, 3), False, 6, 5), (Fraction(2, 3), True, 4, 3), (Fraction(1, 2), True, 4, 2),
])
def test_r_qu_3_minimum_by_hand(share, inclusive, base, minimum):
    """R-QU-3: the minimum worked out by hand; the count at it meets the threshold, one below does not."""
    threshold = Threshold(share, inclusive)
    assert threshold.minimum(base) == minimum
    assert threshold.met(minimum, base) and not threshold.met(minimum - 1, base)


def test_r_qu_3_thresholds_refuse_floats():
    """R-QU-3."""
    with pytest.raises(TypeError):
        Threshold(0.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Threshold(Fraction(3, 2))


def test_r_qu_4_invitees_cannot_be_counted_as_members():
    """R-QU-4: Callers pass members present only; passing more present than members is refused."""
    with pytest.raises(ValueError):
        check_quorum(members=6, present_members=7, threshold=HALF_OR_MORE)


def test_r_qu_1_no_threshold_means_no_quorum_rule():
    """R-QU-1."""
    assert check_quorum(members=4, present_members=0, threshold=None).ok


@given(members=st.integers(1, 200), data=st.data())
def test_r_qu_3_minimum_is_the_exact_boundary(members, data):
    """R-QU-3."""
    num = data.draw(st.integers(0, 12))
    den = data.draw(st.integers(max(1, num), 12))
    threshold = Threshold(Fraction(num, den), inclusive=data.draw(st.booleans()))
    need = threshold.minimum(members)
    if need <= members:
        assert threshold.met(need, members)
    if 1 <= need - 1 <= members:
        assert not threshold.met(need - 1, members)


def test_r_vo_2_party_group_passes_on_more_than_half_of_all_members():
    """R-VO-2: PG basis is all members (应到会成员): 4 for out of 7 members passes; 3 for does not,
    even when only 5 are present and 3 of them vote for."""
    assert vote_outcome(votes_for=4, against=1, abstain=0, members=7, present_members=5,
                        threshold=MORE_THAN_HALF, basis="members").passed
    outcome = vote_outcome(votes_for=3, against=1, abstain=1, members=7, present_members=5,
                           threshold=MORE_THAN_HALF, basis="members")
    assert not outcome.passed and outcome.required == 4 and outcome.base == 7


def test_r_vo_2_exactly_half_of_all_members_is_not_more_than_half():
    """R-VO-2: 过半数 of 6 members (basis 应到会成员): 3 for is exactly half and fails, 4 passes; with the
    inclusive flag on (半数以上) 3 passes and 2 fails."""
    common = dict(members=6, present_members=5, basis="members")
    half = vote_outcome(votes_for=3, against=2, abstain=0, threshold=MORE_THAN_HALF, **common)
    assert not half.passed and half.required == 4 and half.base == 6
    assert vote_outcome(votes_for=4, against=1, abstain=0, threshold=MORE_THAN_HALF, **common).passed
    inclusive = vote_outcome(votes_for=3, against=2, abstain=0, threshold=HALF_OR_MORE, **common)
    assert inclusive.passed and inclusive.required == 3
    assert not vote_outcome(votes_for=2, against=3, abstain=0, threshold=HALF_OR_MORE, **common).passed


def test_r_vo_2_present_basis_counts_members_present():
    """R-VO-2."""
    assert vote_outcome(votes_for=3, against=1, abstain=1, members=7, present_members=5,
                        threshold=MORE_THAN_HALF, basis="present").passed


def test_r_vo_1_a_tie_does_not_pass_majority_rule():
    """R-VO-1."""
    assert not vote_outcome(votes_for=3, against=3, abstain=0, members=6, present_members=6,
                            threshold=MORE_THAN_HALF, basis="present").passed


def test_r_vo_1_more_votes_than_members_present_is_refused():
    """R-VO-1."""
    with pytest.raises(ValueError):
        vote_outcome(votes_for=4, against=2, abstain=0, members=6, present_members=5,
                     threshold=MORE_THAN_HALF, basis="present")


@given(members=st.integers(1, 60), data=st.data())
def test_r_vo_1_outcome_is_monotonic_in_votes_for(members, data):
    """R-VO-1."""
    present = data.draw(st.integers(1, members))
    votes_for = data.draw(st.integers(0, present - 1))
    basis = data.draw(st.sampled_from(["members", "present"]))
    before = vote_outcome(votes_for=votes_for, against=0, abstain=0, members=members, present_members=present,
                          threshold=MORE_THAN_HALF, basis=basis)
    after = vote_outcome(votes_for=votes_for + 1, against=0, abstain=0, members=members, present_members=present,
                         threshold=MORE_THAN_HALF, basis=basis)
    assert after.passed or not before.passed
