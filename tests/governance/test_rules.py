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
