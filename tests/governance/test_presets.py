"""The eight shipped meeting types: loaded idempotently, every rule cited, bad presets refused."""

import copy
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from governance.models import MeetingType, RuleSource, TopicCategory
from governance.rules.presets import PRESETS
from governance.services import PresetError, load_presets

CODES = {"PG", "DO", "DL", "MC", "AS", "UW", "MM", "DA"}


def test_loadpresets_creates_the_eight_types_and_is_idempotent(org):
    out = StringIO()
    call_command("loadpresets", "--bureau", org.bureau.code, stdout=out)
    assert "新建 8" in out.getvalue()
    counts = (MeetingType.objects.count(), TopicCategory.objects.count(), RuleSource.objects.count())
    out = StringIO()
    call_command("loadpresets", "--bureau", org.bureau.code, stdout=out)
    assert "保留 8" in out.getvalue()
    assert (MeetingType.objects.count(), TopicCategory.objects.count(), RuleSource.objects.count()) == counts
    assert set(MeetingType.objects.filter(bureau=org.bureau).values_list("code", flat=True)) == CODES


def test_loadpresets_keeps_an_admins_change_unless_update(presets):
    pg = MeetingType.objects.get(bureau=presets.bureau, code="PG")
    pg.notice_lead_workdays = 2
    pg.save()
    call_command("loadpresets", stdout=StringIO())
    pg.refresh_from_db()
    assert pg.notice_lead_workdays == 2
    call_command("loadpresets", "--update", stdout=StringIO())
    pg.refresh_from_db()
    assert pg.notice_lead_workdays == 1


def test_every_rule_of_every_preset_cites_its_clause(presets):
    for t in MeetingType.objects.filter(bureau=presets.bureau).prefetch_related("rule_sources"):
        keys = {s.key for s in t.rule_sources.all()}
        assert {"convener", "cadence", "recorder"} <= keys, t.code
        for source in t.rule_sources.all():
            assert source.section and source.excerpt and source.rule_ids.startswith("R-")


def test_r_qu_1_r_qu_2_r_vo_2_party_group_thresholds_are_exact_fractions(presets):
    """R-QU-1, R-QU-2, R-VO-2."""
    pg = MeetingType.objects.get(bureau=presets.bureau, code="PG")
    assert (pg.quorum_num, pg.quorum_den, pg.quorum_inclusive) == (1, 2, True)
    assert (pg.special_quorum_num, pg.special_quorum_den, pg.special_quorum_inclusive) == (2, 3, True)
    assert (pg.vote_num, pg.vote_den, pg.vote_inclusive, pg.vote_basis) == (1, 2, False, "members")
    assert pg.clause_for("special_quorum").section == "一、（三）3"
    personnel = pg.categories.get(code="personnel")
    assert personnel.is_personnel and personnel.confidential


def test_r_ag_5_category_counts_and_r_ag_6_mandatory_division_matters(presets):
    """R-AG-5."""
    counts = {t.code: t.categories.count() for t in MeetingType.objects.filter(bureau=presets.bureau)}
    assert counts["DA"] == 10 and counts["MC"] == 5
    # PG: the seed's six items, with item 5 split so that personnel matters carry their own quorum.
    assert counts["PG"] == 8  # and the progress report of R-FU-2
    da = MeetingType.objects.get(bureau=presets.bureau, code="DA")
    assert set(da.categories.filter(is_mandatory_for_unit=True).values_list("code", flat=True)) == {
        "business", "funds", "penalties"}


def test_r_mi_4_division_meeting_minutes_rules(presets):
    """R-MI-4."""
    da = MeetingType.objects.get(bureau=presets.bureau, code="DA")
    assert da.minutes_deadline_workdays == 3
    assert set(da.minutes_recipient_posts) == {"party_secretary", "director", "leader_in_charge", "discipline_secretary"}
    assert da.minutes_filed_with_supervision and da.minutes_circulate_to_members
    assert da.clause_for("minutes").seed == "commerce_da"


def _bad(**changes):
    presets = copy.deepcopy(PRESETS)
    presets[0].update(changes)
    return presets


@pytest.mark.parametrize(("changes", "message"), [
    ({"quorum_num": 3, "quorum_den": 2}, "不能大于1"),
    ({"quorum_num": -1, "quorum_den": 2}, "不能小于0"),
    ({"vote_den": 0}, "分母至少为1"),
    ({"minutes_deadline_workdays": -3}, "不能为负数"),
    ({"notice_lead_workdays": -1}, "不能为负数"),
    ({"chair_post": "unit_head"}, "全局会议无法确定"),
    ({"frobnicate": 1}, "未知字段"),
])
def test_bad_presets_are_refused_with_a_reason_and_nothing_is_saved(org, changes, message):
    with pytest.raises(PresetError) as error:
        load_presets(bureau=org.bureau, presets=_bad(**changes))
    assert message in str(error.value)
    assert MeetingType.objects.count() == 0


def test_a_per_division_type_chaired_by_a_bureau_post_is_refused(org):
    presets = copy.deepcopy(PRESETS)
    da = next(p for p in presets if p["code"] == "DA")
    da["chair_post"] = "party_secretary"
    with pytest.raises(PresetError) as error:
        load_presets(bureau=org.bureau, presets=presets)
    assert "任何处室/单位都不设此职务" in str(error.value)
    assert MeetingType.objects.count() == 0


def test_duplicate_type_code_is_refused(org):
    presets = copy.deepcopy(PRESETS) + [copy.deepcopy(PRESETS[0])]
    with pytest.raises(PresetError) as error:
        load_presets(bureau=org.bureau, presets=presets)
    assert "“PG”重复出现" in str(error.value)


def test_loadpresets_command_reports_bad_file_clearly(org, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(_bad(quorum_num=5, quorum_den=4), ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("loadpresets", "--file", str(path), "--bureau", org.bureau.code)
    assert "法定人数不能大于1" in str(error.value) and "未作任何修改" in str(error.value)
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="不是有效的 UTF-8 JSON"):
        call_command("loadpresets", "--file", str(path))
    with pytest.raises(CommandError, match="没有这个局"):
        call_command("loadpresets", "--bureau", "nope")
    assert MeetingType.objects.count() == 0
