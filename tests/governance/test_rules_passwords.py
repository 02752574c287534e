"""The pure password rules (governance/rules/passwords.py): 等保 2.0 三级 composition."""

from governance.rules.passwords import character_kinds, composition_problems, is_expired


def codes(password, **kw):
    return [p.code for p in composition_problems(password, **kw)]


def test_three_of_four_kinds_and_eight_characters():
    assert codes("Abcdefg1") == []
    assert codes("abcdefg1!") == []
    assert codes("abcdefgh1") == ["too_few_kinds"]
    assert codes("Ab1!") == ["too_short"]
    assert character_kinds("aA1!") == {"upper", "lower", "digit", "symbol"}
    assert character_kinds("密码abc1") == {"symbol", "lower", "digit"}


def test_the_username_is_not_in_the_password():
    assert codes("Zhouwei-2026", username="zhouwei") == ["contains_username"]
    assert codes("Other-2026x", username="zhouwei") == []


def test_limits_are_parameters():
    assert codes("Abcdefg1", min_length=12) == ["too_short"]
    assert codes("abcdefgh1", min_kinds=2) == []


def test_expiry():
    assert is_expired(90, 90) and not is_expired(89.9, 90) and not is_expired(1000, 0)
