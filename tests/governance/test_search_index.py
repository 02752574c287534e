"""Search through the text indexes (pg_trgm on PostgreSQL, FTS5 trigram on SQLite): substrings of one,
two and three or more Chinese characters, minutes numbers, rows changed and deleted, and R-CO-1: a word
only in a confidential topic finds nothing for whoever may not read it, not even a count."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from governance.models import Action, MeetingType, Topic, text_index
from governance.selectors.search import search
from governance.services import agenda, scheduling
from minutes.models import Minutes, Revision
from minutes.selectors import number_filter
from minutes.services import drafting
from tests.minutes.conftest import make_closed_da


@pytest.fixture
def world(presets):
    t = MeetingType.objects.get(bureau=presets.bureau, code="DA")
    m = scheduling.schedule_meeting(actor=presets.head, meeting_type=t, unit=presets.trade, place="外贸处第二会议室",
                                    starts_at=timezone.localtime() + datetime.timedelta(days=2))
    agenda.propose_topic(actor=presets.head, meeting=m, category=t.categories.get(code="funds"),
                         title="外贸发展专项资金划拨方案", summary="关于跨境电商Pilot项目的资金安排")
    return m


def hits(user, q):
    r = search(user=user, q=q)
    return r


@pytest.mark.parametrize("q", ["资", "专项", "专项资金", "发展专项资金划拨方案", "跨境电商pilot", "PILOT项目"])
def test_a_topic_is_found_by_any_substring_of_its_words(presets, world, q):
    r = hits(presets.head, q)
    assert [t.title for t in r.topics] == ["外贸发展专项资金划拨方案"]
    assert r.counts["topics"] == 1


@pytest.mark.parametrize("q", ["室", "会议", "第二会议室"])
def test_a_meeting_is_found_by_its_place(presets, world, q):
    assert world in hits(presets.head, q).meetings


def test_what_is_not_there_is_not_found(presets, world):
    for q in ("资划", "划拨方案书", "不存在的词语"):
        r = hits(presets.head, q)
        assert r.empty and r.total == 0


def test_a_changed_title_is_found_by_its_new_words_only_and_a_deleted_row_not_at_all(presets, world):
    topic = world.topics.get()
    topic.title = "招商引资工作安排"
    topic.save()
    assert not hits(presets.head, "专项资金").topics
    assert [t.pk for t in hits(presets.head, "招商引资").topics] == [topic.pk]
    Topic.objects.filter(pk=topic.pk).update(summary="")  # a bulk update goes through the index too
    assert not hits(presets.head, "跨境电商").topics
    action = Action.objects.create(meeting=world, topic=topic, title="完成招商引资方案报送", owner=presets.head,
                                   coordinator=presets.office, due=timezone.localdate(), created_by=presets.head)
    found = Action.objects.filter(text_index.matches(text_index.ACTION, "方案报送", connection))
    assert list(found) == [action]
    action.delete()
    assert not found.all().exists()


def test_the_index_is_what_answers(presets, world):
    """SQLite: the FTS5 table is read (EXPLAIN QUERY PLAN); PostgreSQL: the trigram indexes exist."""
    qs = Topic.objects.filter(text_index.matches(text_index.TOPIC, "专项资金", connection))
    if connection.vendor == "sqlite":
        sql, params = qs.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
        assert "VIRTUAL TABLE INDEX" in plan and "governance_topic_fts" in plan
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'governance_topic'")
            names = {row[0] for row in cursor.fetchall()}
        assert {f"governance_topic_{c}_trgm" for c in text_index.TOPIC.columns} <= names
    assert list(qs) == [world.topics.get()]


def test_the_sqlite_triggers_come_back_after_a_table_is_rebuilt(presets, world):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER governance_topic_fts_ai")
    text_index.ensure(connection)
    t = MeetingType.objects.get(bureau=presets.bureau, code="DA")
    agenda.propose_topic(actor=presets.head, meeting=world, category=t.categories.get(code="trips"), title="组织赴港招商")
    assert [t.title for t in hits(presets.head, "赴港招商").topics] == ["组织赴港招商"]


# --- minutes: by their words and by their number -------------------------------------------------

@pytest.fixture
def numbered(presets):
    closed_da = make_closed_da(presets)
    revision = drafting.start_minutes(actor=presets.head, meeting=closed_da)
    Revision.objects.filter(pk=revision.pk).update(summary="研究外贸发展专项资金")
    revision.refresh_from_db()
    drafting.submit_revision(actor=presets.head, revision=revision)
    drafting.approve_revision(actor=presets.head, revision=revision)
    return Minutes.objects.select_related("issuing_unit").get(pk=revision.minutes_id)


def test_minutes_are_found_by_their_number_written_in_any_usual_way(presets, numbered):
    number = numbered.number
    assert number.endswith(f"〔{numbered.year}〕第{numbered.sequence}号")
    y, n = numbered.year, numbered.sequence
    for q in (number, f"〔{y}〕第{n}号", f"〔{y}〕{n}号", f"[{y}]{n}号", f"（{y}）第{n}号", f"第{n}号",
              number.replace("纪〔", "纪要〔").replace("第", ""), f"〔{y}〕"):
        found = hits(presets.head, q).minutes
        assert [r.minutes_id for r in found] == [numbered.pk], q
    for q in (f"〔{y}〕第{n + 1}号", f"〔{y - 1}〕第{n}号", f"另局纪〔{y}〕第{n}号"):
        assert not hits(presets.head, q).minutes, q


def test_a_query_that_is_no_number_is_not_read_as_one():
    assert number_filter("专项资金") is None
    assert number_filter("2026") is None
    assert number_filter("〔2026〕3号") is not None


def test_minutes_are_found_by_their_words_by_those_who_may_open_them_only(presets, numbered):
    assert [r.minutes_id for r in hits(presets.head, "专项资金").minutes] == [numbered.pk]
    assert [r.minutes_id for r in hits(presets.head, "资").minutes] == [numbered.pk]
    r = hits(presets.outsider, "专项资金")
    assert r.empty and r.counts["minutes"] == 0
    assert not hits(presets.outsider, numbered.number).minutes


# --- R-CO-1 ----------------------------------------------------------------------------------------

@pytest.fixture
def secret(presets):
    pg = MeetingType.objects.get(bureau=presets.bureau, code="PG")
    m = scheduling.schedule_meeting(actor=presets.clerk, meeting_type=pg, place="党组会议室", invitees=[presets.supervisor],
                                    starts_at=timezone.localtime() + datetime.timedelta(days=3))
    agenda.propose_topic(actor=presets.clerk, meeting=m, category=pg.categories.get(code="personnel"),
                         title="关于晁某同志任职的建议", summary="拟任晁某为副处长，考察情况良好")
    agenda.propose_topic(actor=presets.clerk, meeting=m, category=pg.categories.get(code="policy"), title="政策文件学习")
    return m


@pytest.mark.parametrize("q", ["晁", "晁某", "任职的建议", "考察情况良好"])
@pytest.mark.parametrize(("persona", "finds"), [("deputy", True), ("clerk", True), ("supervisor", False),
                                                 ("staff", False), ("outsider", False)])
def test_r_co_1_a_word_only_in_a_confidential_topic_finds_nothing_for_a_non_reader(presets, secret, q, persona, finds):
    """R-CO-1: not the topic, not a count, not its meeting."""
    r = hits(getattr(presets, persona), q)
    assert bool(r.topics) is finds
    assert (r.counts["topics"] == 1) is finds
    if not finds:
        assert r.empty and r.total == 0


def test_r_co_1_the_search_page_shows_no_count_of_what_may_not_be_read(client, presets, secret):
    """R-CO-1."""
    client.force_login(presets.supervisor)
    body = client.get(reverse("search"), {"q": "晁某"}).content.decode()
    assert 'data-testid="no-results"' in body and 'data-testid="pager"' not in body
    assert "政策文件学习" in client.get(reverse("search"), {"q": "政策文件"}).content.decode()


def test_search_pages_every_section(client, presets):
    t = MeetingType.objects.get(bureau=presets.bureau, code="DA")
    start = timezone.localtime() + datetime.timedelta(days=5)
    made = [scheduling.schedule_meeting(actor=presets.head, meeting_type=t, unit=presets.trade, place=f"经济形势分析室{i}",
                                        starts_at=start + datetime.timedelta(days=i)) for i in range(3)]
    pages = [search(user=presets.head, q="经济形势", limit=2, page=n) for n in (1, 2, 3)]
    assert [len(p.meetings) for p in pages] == [2, 1, 0]
    assert {m.pk for p in pages for m in p.meetings} == {m.pk for m in made}
    assert {p.counts["meetings"] for p in pages} == {3}
    client.force_login(presets.head)
    for page in ("9" * 40, "-1", "abc", "9" * 5000):
        assert client.get(reverse("search"), {"q": "经济形势", "page": page}).status_code == 200
