"""The shipped meeting types (docs/rules.md), each rule citing the clause it comes from.

This is data: `python manage.py loadpresets` validates it and writes it onto each bureau's
`MeetingType` rows; `--file` loads a JSON file of the same shape instead. Excerpts use the official
terms (研究、决定、列席 ...), not the synonym-rewritten wording the municipal text reached us in
(争辩 read as 研究, 确定 as 决定, 吸取 as 吸收 ...).
"""

from __future__ import annotations

M = "municipal_2023"  # 《市级机关会议工作规定》（2023）
C = "commerce_da"  # 《商务局处务会会议纪要制度》
S = "spec"  # the rule catalogue itself, where a default is ours rather than a regulation's

LEADERS = ["director", "deputy_director"]
UNIT_STAFF = ["unit_head", "unit_deputy_head", "unit_staff"]
ALL_POSTS = ["party_secretary", "party_member", "director", "deputy_director", "discipline_secretary",
             *UNIT_STAFF]
OFFICES = ["division", "general_office", "supervision_office"]

PRESETS: list[dict] = [
    {
        "code": "PG", "name": "局党组会议", "order": 1, "minutes_series": "党组纪",
        "decisions_reported_to": "MC",  # R-AG-10
        "archive_retention": "Y",  # R-MI-9: 保管期限
        "consult_after_deferral": True,  # R-VO-5
        "consult_units_on_important": True,  # R-AG-9
        "description": "传达学习上级精神，研究决定重大部署、重要文件、党组织建设、机关建设和干部任免等事项。",
        "scope": "bureau", "convener_post": "party_secretary", "chair_post": "party_secretary",
        "member_posts": ["party_secretary", "party_member"], "invitee_posts": ["unit_head"],
        "recorder_source": "general_office",
        "cadence": "quarter", "cadence_min_count": 1, "ad_hoc_allowed": True,
        "quorum_num": 1, "quorum_den": 2, "quorum_inclusive": True,
        "special_quorum_num": 2, "special_quorum_den": 3, "special_quorum_inclusive": True,
        "vote_num": 1, "vote_den": 2, "vote_inclusive": False, "vote_basis": "members",
        "topic_proposer_posts": ["unit_head"], "topics_gathered_by_office": True,
        "agenda_approver_post": "party_secretary", "materials_required": True,
        "notice_lead_workdays": 1, "leave_approver": "chair", "unexcused_absence_allowed": True,
        "brief_absentees": True, "briefing_deadline_workdays": 3,
        "minutes_deadline_workdays": None, "minutes_recipient_posts": ["party_secretary", "party_member"],
        "minutes_access_by_grant": True, "follow_up_tracked": True, "follow_up_leader_required": True,
        "progress_reports": True, "may_call_by_decision": True,
        "categories": [
            {"code": "directives", "name": "传达学习中央、省委、市委及上级部门重要会议和重要指示精神，研究贯彻落实的具体措施", "section": "一、（二）1"},
            {"code": "deployment", "name": "分析研究全市后勤工作情况，决定后勤工作的重大部署", "section": "一、（二）2"},
            {"code": "policy", "name": "研究决定方针政策性规定和以局名义起草下发的重要文件", "section": "一、（二）3"},
            {"code": "party", "name": "研究分析本单位党组织工作中的重大问题，提出指导性意见", "section": "一、（二）4"},
            {"code": "organisation", "name": "研究决定本局机关自身建设的重大问题", "section": "一、（二）5"},
            {"code": "personnel", "name": "研究决定本局科及科以下干部的任免、调动和交流", "section": "一、（二）5",
             "is_personnel": True, "is_confidential": True},
            {"code": "other", "name": "研究决定其他事项", "section": "一、（二）6"},
            {"code": "progress", "name": "党组会议决定事项落实情况汇报", "section": "一、（四）",
             "is_progress_report": True},
        ],
        "sources": {
            "convener": ["R-AG-1", M, "一、（三）2", "党组会议由局党组书记召集和主持。"],
            "members": ["R-QU-4, R-NO-6", M, "一、（一）", "局党组成员，视情况可吸收与会议研究事项有关的处室或局属单位负责人列席。"],
            "recorder": ["R-MI-1, R-MI-8", M, "一、（一）", "办公室负责有关服务和会议记录工作。"],
            "cadence": ["R-CA-1", M, "一、（三）2", "一般每季召开一次，也可根据工作需要临时决定召开。"],
            "topics": ["R-AG-1, R-AG-9", M, "一、（三）1", "党组会议议题由办公室征求各处室意见后提出，经局党组书记协商确定。"],
            "escalation": ["R-AG-10", M, "四、（二）4", "通报有关局党组、局长办公会议决定事项。"],
            "materials": ["R-AG-4", M, "一、（三）4", "重要情况、意见和方案，一般应形成书面材料交办公室，由办公室在会前发给与会人员。"],
            "notice": ["R-NO-1", M, "一、（三）3", "召开党组会议，办公室首先要把会议议题、时间、地点提前通知每一位与会人员。"],
            "quorum": ["R-QU-1, R-QU-3", M, "一、（三）3", "会议必须有半数以上成员到会方可进行。"],
            "special_quorum": ["R-QU-2", M, "一、（三）3", "研究干部人事问题时，必须有三分之二以上成员到会方可进行。"],
            "leave": ["R-NO-2", M, "一、（三）3", "党组会议成员因故不能到会的，应在会议前向主持人请假。"],
            "briefing": ["R-NO-4", M, "一、（三）3", "会后，由办公室及时将会议作出的决定向缺席成员传达。"],
            "vote": ["R-VO-1, R-VO-2, R-VO-3", M, "一、（三）5", "会议决定问题，要在酝酿研究的基础上，根据少数服从多数的原则进行表决。对一时难以形成统一意见的，一般应暂缓表决。"],
            "carry_over": ["R-AG-7, R-VO-5", M, "一、（三）5", "对一时难以形成统一意见的，一般应暂缓表决，会后要重新进行调查研究，充分征求每位党组会议成员意见，待下次会议上再议。"],
            "attendance": ["R-NO-3", M, "一、（三）3", "会议必须有半数以上成员到会方可进行。党组会议成员因故不能到会的，应在会议前向主持人请假。"],
            "archive": ["R-MI-6, R-MI-9", M, "一、（三）6", "会议记录本由办公室妥为保管，定期存档。"],
            "confidentiality": ["R-CO-1, R-CO-2", M, "一、（三）6", "凡属干部人事任免调动等机密事项，与会人员不得向外泄漏，会议记录本由办公室妥为保管，定期存档。"],
            "calls": ["R-FU-6", M, "五、（一）", "全体干部职工会议由局党组会议或局长办公会议根据工作需要决定，不定期召开。"],
            "follow_up": ["R-FU-1, R-FU-2", M, "一、（四）", "确定一位局领导分管，由办公室具体负责党组会议有关决定事项的协调、督查和落实工作，并及时将工作落实情况向党组会议汇报。"],
        },
    },
    {
        "code": "DO", "name": "局长办公会议", "order": 2, "minutes_series": "局长办公会纪",
        "escalates_to": "PG", "decisions_reported_to": "MC",  # R-AG-10
        "archive_retention": "Y",  # R-MI-9: 保管期限
        "description": "研究年度工作思路、阶段重点工作和需提交党组会议研究决定的重大问题，协调党组会议决定事项的组织实施。",
        "scope": "bureau", "convener_post": "director", "chair_post": "director",
        "member_posts": LEADERS, "invitee_posts": ["unit_head"], "recorder_source": "general_office",
        "cadence": "none", "ad_hoc_allowed": True,
        "vote_num": 1, "vote_den": 2, "vote_inclusive": False, "vote_basis": "present",
        "topic_proposer_posts": ["director", "deputy_director", "unit_head"], "agenda_approver_post": "director",
        "notice_lead_workdays": 1, "leave_approver": "chair",
        "minutes_recipient_posts": LEADERS, "may_call_by_decision": True,
        "categories": [
            {"code": "annual", "name": "研究年度工作思路、阶段重点工作", "section": "二、（一）"},
            {"code": "to_party_group", "name": "研究需要提交党组会议研究决定的重大问题", "section": "二、（一）"},
            {"code": "implementation", "name": "协调党组会议决定事项的组织实施", "section": "二、（一）"},
            {"code": "other", "name": "其他需要局长办公会议研究决定的事项", "section": "二、（一）"},
        ],
        "sources": {
            "convener": ["R-AG-3", M, "二、（三）", "局长办公会议由局长召集并主持，视工作需要不定期召开。"],
            "members": ["R-QU-4, R-NO-6", M, "二、（二）", "局长、副局长，视情况可吸收与会议研究事项有关的处室或局属单位负责人列席。"],
            "cadence": ["R-CA-1", M, "二、（三）", "视工作需要不定期召开。"],
            "topics": ["R-AG-3", S, "R-AG-3", "局长办公会议和周一早会的议题由局长确定。"],
            "escalation": ["R-AG-10", M, "二、（一）", "研究酝酿需要提交党组会议研究决定的重大问题。"],
            "notice": ["R-NO-1", M, "二、（三）", "会议议题、时间确定后由办公室负责通知。"],
            "recorder": ["R-MI-1, R-MI-8", M, "二、（三）", "由办公室负责通知，并做好记录，记录本定期存档。"],
            "archive": ["R-MI-6, R-MI-9", M, "二、（三）", "并做好记录，记录本定期存档。"],
            "vote": ["R-VO-1", S, "R-VO-1", "在充分讨论的基础上，按照少数服从多数的原则逐项表决。"],
            "calls": ["R-FU-6", M, "五、（一）", "全体干部职工会议由局党组会议或局长办公会议根据工作需要决定，不定期召开。"],
        },
    },
    {
        "code": "DL", "name": "局党组民主生活会", "order": 3, "minutes_series": "民主生活会纪",
        "archive_retention": "Y",  # R-MI-9: 保管期限
        "description": "开展批评和自我批评，会后制定、落实整改措施。",
        "scope": "bureau", "convener_post": "party_secretary", "chair_post": "party_secretary",
        "member_posts": ["party_secretary", "party_member"], "recorder_source": "general_office",
        "cadence": "year", "cadence_min_count": 1, "ad_hoc_allowed": False,
        "vote_num": 1, "vote_den": 2, "vote_inclusive": False, "vote_basis": "present",
        "topic_proposer_posts": ["party_secretary", "party_member"], "agenda_approver_post": "party_secretary",
        "notice_lead_workdays": 1, "leave_approver": "chair",
        "minutes_recipient_posts": ["party_secretary", "party_member"], "minutes_access_by_grant": True,
        "pre_meeting_filings": True, "rectification": True,
        "talks_before_start": True, "outcome_report": True, "cell_meeting_required": True,
        "categories": [
            {"code": "criticism", "name": "对照检查，开展批评和自我批评", "section": "三、（三）"},
            {"code": "rectification", "name": "研究制定整改措施", "section": "三、（三）"},
        ],
        "sources": {
            "convener": ["R-CA-1", M, "三、（一）", "由局党组书记召集并主持，每年召开一次，由办公室负责会议记录和会后情况的通报。"],
            "members": ["R-FU-7", M, "三、（二）、（四）", "局党组成员。除局党组民主生活会外，局党组成员还要参加所在党小组的组织生活会。"],
            "cadence": ["R-CA-1", M, "三、（一）", "每年召开一次。"],
            "recorder": ["R-MI-1, R-MI-8", M, "三、（一）", "由办公室负责会议记录和会后情况的通报。"],
            "follow_up": ["R-FU-4, R-FU-5, R-FU-9", M, "三、（三）", "民主生活会前，局党组成员要准备好自我剖析和发言提纲，并广泛开展谈心谈话，征求干部职工的意见和建议。民主生活会后，要根据所提的问题和存在的不足，认真制定、落实整改措施。"],
        },
    },
    {
        "code": "MC", "name": "中层干部会议", "order": 4, "minutes_series": "中层干部会纪",
        "description": "传达上级精神，研究年度工作要点，听取各处室、局属各单位每月工作汇报，部署下月工作重点。",
        "scope": "bureau", "convener_post": "director", "chair_post": "director",
        "chair_delegable": True, "delegate_posts": ["deputy_director"],
        "member_posts": [*LEADERS, "unit_head"], "recorder_source": "general_office",
        "cadence": "month", "cadence_min_count": 1, "ad_hoc_allowed": True,
        "vote_num": 1, "vote_den": 2, "vote_inclusive": False, "vote_basis": "present",
        "topic_proposer_posts": ["director", "deputy_director", "unit_head"], "agenda_approver_post": "director",
        "monthly_unit_reports": True, "notice_lead_workdays": 1, "leave_approver": "chair",
        "minutes_recipient_posts": [*LEADERS, "unit_head"],
        "categories": [
            {"code": "directives", "name": "传达学习上级重要会议和重要指示精神，通报上级重大工作部署和安排", "section": "四、（二）1"},
            {"code": "annual_plan", "name": "研究本局年度工作要点和年度工作规划", "section": "四、（二）2"},
            {"code": "monthly_report", "name": "听取各处室、局属各单位每月工作情况汇报，研究部署下月工作重点", "section": "四、（二）3",
             "is_unit_report": True},
            {"code": "decisions", "name": "通报局党组会议、局长办公会议决定事项", "section": "四、（二）4"},
            {"code": "coordination", "name": "研究各处室、局属各单位之间需要由局里统一协调解决的问题", "section": "四、（二）5"},
        ],
        "sources": {
            "convener": ["R-AG-3", M, "四、（三）", "会议由局长或局长委托副局长主持；会议日期、议题由召集人确定。"],
            "members": ["R-QU-4", M, "四、（一）", "局长、副局长、处室及局属单位负责人。"],
            "cadence": ["R-CA-1", M, "四、（三）", "原则上每月召开一次，也可视工作需要临时决定召开。"],
            "topics": ["R-AG-3, R-AG-8", M, "四、（二）3、（三）", "听取各处室、局属各单位每月工作情况汇报；会议日期、议题由召集人确定。"],
            "notice": ["R-NO-1", M, "四、（三）", "由办公室在会前通知与会人员。"],
            "recorder": ["R-MI-1, R-MI-8", M, "四、（三）", "会议情况由办公室负责记录并存档。"],
            "archive": ["R-MI-6, R-MI-9", M, "四、（三）", "会议情况由办公室负责记录并存档。"],
        },
    },
    {
        "code": "AS", "name": "全体干部职工会议", "order": 5, "minutes_series": "职工大会纪",
        "description": "传达学习上级重要会议精神、重大决定和重要工作部署，通报工作总结和安排，开展重大活动动员。",
        "scope": "bureau", "convener_post": "director", "chair_post": "director",
        "chair_delegable": True, "delegate_posts": ["deputy_director"],
        "member_posts": ALL_POSTS, "recorder_source": "general_office",
        "cadence": "none", "ad_hoc_allowed": True, "called_by_decision": True,
        "vote_num": 1, "vote_den": 2, "vote_inclusive": False, "vote_basis": "present",
        "topic_proposer_posts": LEADERS, "agenda_approver_post": "director",
        "notice_lead_workdays": 1, "leave_approver": "chair",
        "categories": [
            {"code": "directives", "name": "传达学习上级重要会议精神、有关重大决定和重要工作部署", "section": "五、（二）"},
            {"code": "summary", "name": "通报一个时期的工作总结和工作安排", "section": "五、（二）"},
            {"code": "mobilisation", "name": "开展重大活动的动员", "section": "五、（二）"},
        ],
        "sources": {
            "convener": ["R-FU-6", M, "五、（一）", "由局党组会议或局长办公会议根据工作需要决定，不定期召开，由局长或局长委托副局长主持。"],
            "cadence": ["R-FU-6", M, "五、（一）", "不定期召开。"],
            "recorder": ["R-MI-1, R-MI-8", M, "五、（三）", "办公室负责会务工作，并做好会议记录。"],
        },
    },
    {
        "code": "UW", "name": "处室工作会议", "order": 6, "minutes_series": "工作会议纪",
        "archive_retention": "D10",  # R-MI-9: 保管期限
        "description": "研究处室职责范围内的重大事项，总结分析本处室一个月来的工作、学习、思想情况，研究布置下月工作任务。",
        "scope": "unit", "unit_kinds": OFFICES, "convener_post": "unit_head", "chair_post": "unit_head",
        "member_posts": UNIT_STAFF, "recorder_source": "designated",
        "cadence": "month", "cadence_min_count": 1, "ad_hoc_allowed": True,
        "vote_num": 1, "vote_den": 2, "vote_inclusive": False, "vote_basis": "present",
        "topic_proposer_posts": UNIT_STAFF, "agenda_approver_post": "unit_head",
        "notice_lead_workdays": 1, "leave_approver": "unit_head",
        "minutes_circulate_to_members": True,
        "categories": [
            {"code": "major", "name": "研究处室工作职责范围内的重大事项", "section": "六"},
            {"code": "review", "name": "总结分析本处室一个月来的工作、学习、思想情况，查找问题，提出对策", "section": "六"},
            {"code": "plan", "name": "研究布置下月工作任务", "section": "六"},
        ],
        "sources": {
            "convener": ["R-CA-1", M, "六", "处室会议由处室负责人决定召开。"],
            "cadence": ["R-CA-1", M, "六", "一般每月一次，视情可临时召开。"],
            "recorder": ["R-MI-1, R-MI-8", M, "六", "各处室工作会议要做好会议记录。"],
        },
    },
    {
        "code": "MM", "name": "周一早会", "order": 7, "minutes_series": "早会纪",
        "description": "通报上周工作完成情况及本周工作安排，布置本局一周工作任务。",
        "scope": "bureau", "convener_post": "director", "chair_post": "director",
        "chair_delegable": True, "delegate_posts": ["deputy_director"],
        "member_posts": LEADERS, "invitee_posts": ["unit_head"], "recorder_source": "general_office",
        "cadence": "week", "cadence_min_count": 1, "cadence_weekday": 0, "ad_hoc_allowed": False,
        "vote_num": 1, "vote_den": 2, "vote_inclusive": False, "vote_basis": "present",
        "topic_proposer_posts": LEADERS, "agenda_approver_post": "director",
        "notice_lead_workdays": 0, "leave_approver": "chair",
        "categories": [
            {"code": "last_week", "name": "通报本局上一周工作完成情况及本周工作安排", "section": "七、（一）1"},
            {"code": "this_week", "name": "布置本局一周工作任务", "section": "七、（一）2"},
            {"code": "other", "name": "其他需要通报的重要事项", "section": "七、（一）3"},
        ],
        "sources": {
            "convener": ["R-AG-3", M, "七、（三）", "会议由局长或局长委托副局长召集和主持。"],
            "members": ["R-QU-4, R-NO-6", M, "七、（二）", "局长、副局长。也可视情况吸收有关人员列席。"],
            "cadence": ["R-CA-1", M, "七、（三）", "会议每周一上午或下午召开。"],
            "recorder": ["R-MI-1, R-MI-8", M, "七、（三）", "会务工作由办公室负责，并做好会议记录。"],
            "notice": ["R-NO-1", S, "R-NO-1", "周一早会为固定例会，不另行提前通知（提前通知工作日数为0）。"],
        },
    },
    {
        "code": "DA", "name": "处务会", "order": 8, "minutes_series": "纪",
        "escalates_to": "PG",  # R-AG-10
        "archive_retention": "D10",  # R-MI-9: 保管期限
        "description": "以处室为单位，由处室主要负责人牵头，定期组织处室工作人员研究议定重要工作和重要事项。",
        "scope": "unit", "unit_kinds": OFFICES, "convener_post": "unit_head", "chair_post": "unit_head",
        "chair_delegable": True, "delegate_posts": ["unit_deputy_head"],
        "member_posts": UNIT_STAFF, "invitee_posts": ["leader_in_charge", *UNIT_STAFF],
        "recorder_source": "designated",
        "cadence": "month", "cadence_min_count": 1, "ad_hoc_allowed": True,
        "vote_num": 1, "vote_den": 2, "vote_inclusive": False, "vote_basis": "present",
        "topic_proposer_posts": UNIT_STAFF, "agenda_approver_post": "unit_head", "materials_required": True,
        "notice_lead_workdays": 1, "leave_approver": "unit_head", "unexcused_absence_allowed": False,
        "minutes_deadline_workdays": 3,
        "minutes_recipient_posts": ["party_secretary", "director", "leader_in_charge", "discipline_secretary"],
        "minutes_circulate_to_members": True, "minutes_filed_with_supervision": True,
        "follow_up_tracked": True,
        "mandatory_matters": ["business", "internal", "projects", "funds", "penalties"],
        "categories": [
            {"code": "directives", "name": "传达贯彻局党组和局领导班子的工作部署", "section": "四、1"},
            {"code": "briefing", "name": "通报有关工作情况，对阶段性工作进行总结", "section": "四、2"},
            {"code": "decisions", "name": "提出和讨论需由处务会决定的事项", "section": "四、3"},
            {"code": "research", "name": "研究探讨涉及商务工作发展的重要课题", "section": "四、4"},
            {"code": "business", "name": "研究部署本处室业务工作，包括行政许可、非行政许可的审批等事项", "section": "四、5",
             "is_mandatory_for_unit": True},
            {"code": "escalation", "name": "研究需报请局党组和局领导班子研究决定的事项", "section": "四、6"},
            {"code": "funds", "name": "各专项资金的使用和划拨", "section": "四、7", "is_mandatory_for_unit": True},
            {"code": "events", "name": "组织召开座谈会、研讨会、交流会、展销会及各项业务培训等", "section": "四、8"},
            {"code": "trips", "name": "组织出国考察、商品展览和其他商贸活动", "section": "四、9"},
            {"code": "penalties", "name": "需提交处务会研究的重大处罚事项", "section": "四、10", "is_mandatory_for_unit": True},
        ],
        "sources": {
            "convener": ["R-AG-2", C, "三", "处务会由处室主要负责人或由其指定的处室负责人召集并主持。"],
            "members": ["R-QU-4, R-NO-6", C, "三", "一般由处室全体人员参加，必要时可邀请分管领导或局监察室等其他处室相关人员列席。"],
            "cadence": ["R-CA-1", C, "三", "每月至少召开1次，也可因工作急需随时召开。"],
            "topics": ["R-AG-2", C, "二", "议题可由处室主要负责人直接确定，也可由处室相关工作人员提出并报请处室主要负责人同意后确定。"],
            "escalation": ["R-AG-10", C, "四", "研究需报请局党委和局领导班子研究决定的事项。"],
            "materials": ["R-AG-4", C, "二", "原则上处室工作人员提请处务会研究的重要事项应形成书面材料。"],
            "leave": ["R-NO-2, R-NO-5", C, "三", "因故不能出席处务会的人员，须向处室主要负责人请假，不得无故缺席。"],
            "mandatory": ["R-AG-6", C, "四", "凡涉及处室业务工作、内部建设、项目安排、资金使用以及重大处罚等较大事项，必须提交处务会研究决定。"],
            "recorder": ["R-MI-1, R-VO-4", C, "五", "各处室要明确专人记录和整理会议纪要，对不同意见要真实完整记录。"],
            "minutes": ["R-MI-4", C, "五", "处务会结束后3个工作日内，要将会议纪要分送局主要领导、分管领导和局纪委书记，以及本处室工作人员传阅，同时向局监察室报备。"],
            "follow_up": ["R-FU-3, R-FU-8", C, "六", "对于处务会形成的决定，处室有关工作人员要认真执行，不得拖延、推诿。对不负责任、造成不良影响和后果的，将参照*市和商务局《影响机关效能行为责任追究办法》等有关规定实行责任追究。"],
            "attendance": ["R-NO-3", C, "三", "一般由处室全体人员参加，必要时可邀请分管领导或局监察室等其他处室相关人员列席。因故不能出席处务会的人员，须向处室主要负责人请假，不得无故缺席。"],
            "minutes_format": ["R-MI-2", C, "五", "局统一处务会会议纪要格式（附后），各处室自行编号并完整存档。"],
            "minutes_revision": ["R-MI-3", C, "五", "处务会会议纪要是根据会议记录和会议文件以及其他有关材料加工整理而成的，用于记载、传达会议情况、重要精神和议定事项的纪实性公文。"],
            "receipt": ["R-MI-5", C, "五", "要将会议纪要分送局主要领导、分管领导和局纪委书记，以及本处室工作人员传阅。"],
            "archive": ["R-MI-6, R-MI-9", C, "五", "各处室自行编号并完整存档。处务会会议纪要形成后应及时报送、归档。"],
            "review": ["R-MI-7", C, "五、六", "同时向局监察室报备。处务会会议纪要制度的实行和监督检查由监察室牵头，办公室协助。"],
        },
    },
]


# Rules every type follows where its own regulation says nothing: the clause is the rule catalogue's
# (SPEC), cited as such, so that each enforced rule is shown with where it comes from. A preset's own
# source for the key (a clause of its regulation) wins.
COMMON_SOURCES: dict[str, list[str]] = {
    "carry_over": ["R-AG-7", S, "R-AG-7", "暂缓表决的议题连同其历史转入同类、同范围会议的下次会议。"],
    "attendance": ["R-NO-3", S, "R-NO-3", "逐人登记到会情况：出席、请假、无故缺席；列席人员另行登记。"],
    "minutes_format": ["R-MI-2", S, "R-MI-2", "会议纪要格式统一，由发文单位按年度连续编号，如〔2026〕第3号。"],
    "minutes_revision": ["R-MI-3", S, "R-MI-3", "会议纪要根据会议记录和文件起草，经主持人审定后不得修改；更正须另行审定修订稿，每次修改保留历史。"],
    "receipt": ["R-MI-5", S, "R-MI-5", "会议纪要接收人签收，系统显示已阅、未阅情况。"],
    "archive": ["R-MI-6", S, "R-MI-6", "会议纪要完整存档，纪要本定期存档，年度纪要可连同目录导出。"],
    "deadlines": ["R-CA-2", S, "R-CA-2", "各项期限（通知、传达、纪要分送、督办事项、整改措施）到期前提醒、逾期后督办，每次提醒和督办只发送一次。"],
}
# Only where the minutes are filed with the Supervision Office (`minutes_filed_with_supervision`).
FILED_SOURCES: dict[str, list[str]] = {
    "review": ["R-MI-7", S, "R-MI-7", "监察室审查报备的会议纪要，可提出询问，由处室答复。"],
}

for _preset in PRESETS:
    _sources = _preset.setdefault("sources", {})
    for _key, _source in COMMON_SOURCES.items():
        _sources.setdefault(_key, list(_source))
    if _preset.get("minutes_filed_with_supervision"):
        for _key, _source in FILED_SOURCES.items():
            _sources.setdefault(_key, list(_source))
