"""The agenda's rules on their side paths (issue 12: items 8, 14, 16): R-AG-6 on every one of its five
matters and whoever declares them, a matter noted instead of decided, a deferred topic that keeps what
the agenda rules judge (R-AG-7, R-AG-4), and the office gathering the party group's topics (R-AG-9)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from governance.models import Breach, BreachKind, MeetingType, Notification, Topic, TopicStatus
from governance.rules.refusals import TransitionRefused
from governance.services import agenda, attendance, scheduling, voting
from governance.services.materials import add_material


def soon(days=3):
    return (timezone.localtime() + datetime.timedelta(days=days)).replace(hour=9, minute=0, second=0, microsecond=0)


def pdf(name="材料.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf")


def mtype(presets, code):
    return MeetingType.objects.get(bureau=presets.bureau, code=code)


def hold(*, meeting, actor, approver, present):
    """Accept every proposed topic, approve, notify, sign `present` in and start the meeting."""
    agenda.submit_agenda(actor=actor, meeting=meeting)
    for t in meeting.topics.filter(status=TopicStatus.PROPOSED):
        agenda.review_topic(actor=approver, topic=t, decision="accept")
    agenda.approve_agenda(actor=approver, meeting=meeting)
    agenda.send_notice(actor=actor, meeting=meeting)
    for person in present:
        attendance.sign_in(actor=actor, meeting=meeting, person=person)
    attendance.start_meeting(actor=actor, meeting=meeting)


def pass_topic(*, topic, actor, voters):
    voting.open_topic(actor=actor, topic=topic)
    for person in voters:
        voting.record_vote(actor=actor, topic=topic, member=person, choice="for")
    return voting.decide_topic(actor=actor, topic=topic, decision="同意")


def do_meeting(presets, days=3):
    return scheduling.schedule_meeting(actor=presets.clerk, meeting_type=mtype(presets, "DO"), starts_at=soon(days),
                                       place="会议室")


def da_meeting(presets, days=3):
    return scheduling.schedule_meeting(actor=presets.head, meeting_type=mtype(presets, "DA"), unit=presets.trade,
                                       starts_at=soon(days), place="外贸处会议室")


def flags():
    return list(Breach.objects.filter(kind=BreachKind.MANDATORY_BYPASSED).values_list("unit__code", "description"))


# --- R-AG-6 -------------------------------------------------------------------------------------------

def test_r_ag_6_the_division_meeting_lists_all_five_matters_and_the_screen_says_what_the_code_keeps(client, presets):
    """R-AG-6: 业务工作、内部建设、项目安排、资金使用、重大处罚, as data, and on the rules screen."""
    da = mtype(presets, "DA")
    assert da.mandatory_matters == ["business", "internal", "projects", "funds", "penalties"]
    assert all(not mtype(presets, code).mandatory_matters for code in ("PG", "DO", "DL", "MC", "AS", "UW", "MM"))
    client.force_login(presets.staff)
    page = client.get(reverse("meeting_type_detail", args=["DA"])).content.decode()
    row = page[page.index('id="rule-mandatory"'):]
    row = row[:row.index("</tr>")]
    assert "业务工作、内部建设、项目安排、资金使用、重大处罚" in row and "仅作通报" in row
    assert "凡涉及处室业务工作、内部建设、项目安排、资金使用以及重大处罚等较大事项" in row  # the clause, quoted


@pytest.mark.parametrize("matter", ["internal", "projects"])
def test_r_ag_6_internal_and_project_matters_decided_elsewhere_are_flagged(presets, matter):
    """R-AG-6: the two matters the category flags never covered, declared by the proposer."""
    do = do_meeting(presets)
    topic = agenda.propose_topic(actor=presets.clerk, meeting=do, category=mtype(presets, "DO").categories.get(code="other"),
                                 title="外贸处事项", concerned_unit=presets.trade, unit_matter=matter)
    hold(meeting=do, actor=presets.clerk, approver=presets.secretary,
         present=[presets.secretary, presets.deputy, presets.deputy2])
    pass_topic(topic=topic, actor=presets.clerk, voters=[presets.secretary, presets.deputy])
    [(unit, description)] = flags()
    assert unit == "trade" and "未经该处室处务会研究" in description
    assert Notification.objects.filter(recipient=presets.supervisor, kind="mandatory_bypassed").count() == 1


def test_r_ag_6_the_division_is_the_proposers_own_when_none_is_declared(client, presets):
    """R-AG-6: a division head proposes a project matter to the director's office meeting through the
    form without naming a division: the division concerned is his, and the decision is flagged."""
    do = do_meeting(presets)
    client.force_login(presets.head)
    client.post(reverse("topic_new", args=[do.pk]), {
        "category": mtype(presets, "DO").categories.get(code="other").pk, "title": "外贸处项目安排",
        "unit_matter": "projects"})
    topic = Topic.objects.get(meeting=do)
    assert topic.concerned_unit == presets.trade and topic.unit_matter == "projects"
    hold(meeting=do, actor=presets.clerk, approver=presets.secretary,
         present=[presets.secretary, presets.deputy, presets.deputy2])
    pass_topic(topic=topic, actor=presets.clerk, voters=[presets.secretary, presets.deputy])
    assert [u for u, _ in flags()] == ["trade"]


def test_r_ag_6_a_matter_without_any_division_is_refused(presets):
    """R-AG-6: the director, who holds no post in a division, must name the division."""
    do = do_meeting(presets)
    with pytest.raises(TransitionRefused, match="须同时选择涉及的处室"):
        agenda.propose_topic(actor=presets.secretary, meeting=do, category=mtype(presets, "DO").categories.get(code="other"),
                             title="资金", unit_matter="funds")


def test_r_ag_6_a_matter_noted_at_its_own_division_meeting_is_flagged_through_the_url(client, presets):
    """R-AG-6: 必须提交处务会研究决定: a funds matter only noted (通报) at the division's own meeting,
    though nobody declared anything, is flagged; the same matter voted there is not (the boundary)."""
    da = mtype(presets, "DA")
    meeting = da_meeting(presets)
    noted = agenda.propose_topic(actor=presets.head, meeting=meeting, category=da.categories.get(code="funds"),
                                 title="专项资金划拨情况", for_information=True)
    voted = agenda.propose_topic(actor=presets.head, meeting=meeting, category=da.categories.get(code="penalties"),
                                 title="重大处罚事项")
    hold(meeting=meeting, actor=presets.head, approver=presets.head, present=[presets.head, presets.staff])
    pass_topic(topic=voted, actor=presets.head, voters=[presets.head, presets.staff])
    assert flags() == []
    client.force_login(presets.head)
    client.post(reverse("topic_action", args=[noted.pk, "note"]), {"decision": "同意划拨"})
    assert Topic.objects.get(pk=noted.pk).status == TopicStatus.NOTED
    [(unit, description)] = flags()
    assert unit == "trade" and "仅作通报" in description and "各专项资金的使用和划拨" in description


def test_r_ag_6_a_matter_noted_elsewhere_without_the_divisions_decision_is_flagged(presets):
    """R-AG-6: noted at the director's office meeting with no decision of the division's meeting."""
    do = do_meeting(presets)
    topic = agenda.propose_topic(actor=presets.clerk, meeting=do, category=mtype(presets, "DO").categories.get(code="other"),
                                 title="外贸处内部建设", for_information=True, concerned_unit=presets.trade,
                                 unit_matter="internal")
    hold(meeting=do, actor=presets.clerk, approver=presets.secretary,
         present=[presets.secretary, presets.deputy, presets.deputy2])
    voting.note_topic(actor=presets.clerk, topic=topic)
    [(unit, description)] = flags()
    assert unit == "trade" and "仅作通报" in description


def test_r_ag_6_decided_elsewhere_with_the_divisions_decision_is_not_flagged(presets):
    """R-AG-6: the boundary: the division's meeting decided it first; the director's office meeting
    decides with that decision linked."""
    da = mtype(presets, "DA")
    meeting = da_meeting(presets)
    decided = agenda.propose_topic(actor=presets.head, meeting=meeting, category=da.categories.get(code="decisions"),
                                   title="项目安排", unit_matter="projects")
    hold(meeting=meeting, actor=presets.head, approver=presets.head, present=[presets.head, presets.staff])
    pass_topic(topic=decided, actor=presets.head, voters=[presets.head, presets.staff])
    do = do_meeting(presets, days=5)
    topic = agenda.propose_topic(actor=presets.clerk, meeting=do, category=mtype(presets, "DO").categories.get(code="other"),
                                 title="外贸处项目安排", concerned_unit=presets.trade, unit_matter="projects",
                                 unit_decision=decided)
    hold(meeting=do, actor=presets.clerk, approver=presets.secretary,
         present=[presets.secretary, presets.deputy, presets.deputy2])
    pass_topic(topic=topic, actor=presets.clerk, voters=[presets.secretary, presets.deputy])
    assert flags() == []


def test_r_ag_6_the_office_marks_a_matter_nobody_declared_and_it_is_flagged(client, presets):
    """R-AG-6: not only the proposer: the office marks a decided topic as a division's funds matter
    (through the URL) and it is flagged at once; a member who neither runs nor approves the meeting
    may not mark one."""
    do = do_meeting(presets)
    topic = agenda.propose_topic(actor=presets.clerk, meeting=do, category=mtype(presets, "DO").categories.get(code="other"),
                                 title="专项资金划拨")
    hold(meeting=do, actor=presets.clerk, approver=presets.secretary,
         present=[presets.secretary, presets.deputy, presets.deputy2])
    pass_topic(topic=topic, actor=presets.clerk, voters=[presets.secretary, presets.deputy])
    assert flags() == []
    with pytest.raises(TransitionRefused, match="标注必须上会事项"):
        agenda.mark_unit_matter(actor=presets.deputy, topic=topic, unit_matter="funds", concerned_unit=presets.trade)
    client.force_login(presets.deputy)
    client.post(reverse("topic_action", args=[topic.pk, "matter"]),
                {"unit_matter": "funds", "concerned_unit": presets.trade.pk})
    assert flags() == [] and Topic.objects.get(pk=topic.pk).unit_matter == ""
    client.force_login(presets.clerk)
    assert "标注必须上会事项" in client.get(reverse("meeting_detail", args=[do.pk])).content.decode()
    client.post(reverse("topic_action", args=[topic.pk, "matter"]),
                {"unit_matter": "funds", "concerned_unit": presets.trade.pk})
    [(unit, description)] = flags()
    assert unit == "trade" and "资金使用" in description


# --- R-AG-7 (item 14) ----------------------------------------------------------------------------------

def test_r_ag_7_a_deferred_important_topic_keeps_its_materials_and_division_and_is_accepted_again(client, presets):
    """R-AG-7, R-AG-4: an important topic deferred once is carried with its written material, its
    concerned division and matter, and the approver accepts it at the next meeting (through the URL)."""
    da = mtype(presets, "DA")
    first = da_meeting(presets)
    topic = agenda.propose_topic(actor=presets.head, meeting=first, category=da.categories.get(code="decisions"),
                                 title="对外展会资金安排", important=True, concerned_unit=presets.trade,
                                 unit_matter="funds")
    material = add_material(actor=presets.head, topic=topic, upload=pdf("方案.pdf"))
    hold(meeting=first, actor=presets.head, approver=presets.head, present=[presets.head, presets.staff])
    voting.defer_topic(actor=presets.head, topic=topic, reason="意见分歧，会后再调研")
    attendance.close_meeting(actor=presets.head, meeting=first)

    second = da_meeting(presets, days=10)
    carried = second.topics.get()
    assert carried.carried_from == topic and carried.important
    assert (carried.concerned_unit, carried.unit_matter) == (presets.trade, "funds")
    [copy] = carried.materials.all()
    assert (copy.original_name, copy.sha256, copy.file.name) == ("方案.pdf", material.sha256, material.file.name)
    agenda.submit_agenda(actor=presets.head, meeting=second)
    client.force_login(presets.head)
    client.post(reverse("topic_action", args=[carried.pk, "accept"]))
    assert Topic.objects.get(pk=carried.pk).status == TopicStatus.ACCEPTED


def test_r_ag_7_r_ag_4_a_carried_important_topic_without_materials_is_still_returned(presets):
    """R-AG-4 on the carried path: the boundary: nothing to carry, so the rule refuses as before."""
    da = mtype(presets, "DA")
    first = da_meeting(presets)
    topic = agenda.propose_topic(actor=presets.head, meeting=first, category=da.categories.get(code="decisions"),
                                 title="重要事项", important=True)
    agenda.submit_agenda(actor=presets.head, meeting=first)
    with pytest.raises(TransitionRefused, match="书面材料"):
        agenda.review_topic(actor=presets.head, topic=topic, decision="accept")


# --- R-AG-9 (item 16) ----------------------------------------------------------------------------------

def test_r_ag_9_party_group_members_do_not_put_topics_straight_on_the_agenda(client, presets):
    """R-AG-9: 党组会议议题由办公室征求各处室意见后提出: a party group member who is not of the office is
    refused, through the service and the URL; the office proposes."""
    pg = mtype(presets, "PG")
    meeting = scheduling.schedule_meeting(actor=presets.clerk, meeting_type=pg, starts_at=soon(), place="会议室")
    with pytest.raises(TransitionRefused):
        agenda.propose_topic(actor=presets.deputy, meeting=meeting, category=pg.categories.get(code="other"), title="直接提出")
    client.force_login(presets.deputy)
    response = client.post(reverse("topic_new", args=[meeting.pk]),
                           {"category": pg.categories.get(code="other").pk, "title": "直接提出"})
    assert response.status_code == 403
    assert not meeting.topics.exists()
    agenda.propose_topic(actor=presets.clerk, meeting=meeting, category=pg.categories.get(code="other"), title="办公室提出")
    assert meeting.topics.count() == 1


def test_r_ag_9_divisions_propose_party_group_topics_to_the_office(client, presets):
    """R-AG-9: the office asks the divisions (征求各处室意见); a division head proposes on the page he is
    sent to, without seeing the meeting itself; division staff are not asked."""
    pg = mtype(presets, "PG")
    meeting = scheduling.schedule_meeting(actor=presets.clerk, meeting_type=pg, starts_at=soon(), place="会议室")
    asked = Notification.objects.get(recipient=presets.head, kind="topics_requested")
    assert asked.url == reverse("topic_submit", args=[meeting.pk])
    assert not Notification.objects.filter(recipient=presets.staff, kind="topics_requested").exists()
    client.force_login(presets.head)
    assert client.get(reverse("meeting_detail", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("topic_submit", args=[meeting.pk])).status_code == 200
    client.post(reverse("topic_submit", args=[meeting.pk]),
                {"category": pg.categories.get(code="deployment").pk, "title": "外贸工作部署"})
    topic = meeting.topics.get()
    assert (topic.proposer, topic.proposing_unit, topic.status) == (presets.head, presets.trade, TopicStatus.PROPOSED)
    client.force_login(presets.staff)
    assert client.get(reverse("topic_submit", args=[meeting.pk])).status_code == 404
    with pytest.raises(TransitionRefused):
        agenda.propose_topic(actor=presets.staff, meeting=meeting, category=pg.categories.get(code="other"), title="x")


def test_r_ag_9_where_the_office_does_not_gather_the_members_propose(presets):
    """R-AG-9: the boundary: the director's office meeting's members propose directly."""
    do = do_meeting(presets)
    topic = agenda.propose_topic(actor=presets.deputy, meeting=do, category=mtype(presets, "DO").categories.get(code="other"),
                                 title="副局长提出")
    assert topic.proposer == presets.deputy
