from .calendar import CalendarDay, CalendarSource, CalendarYear
from .meeting_types import (
    Cadence,
    LeaveApprover,
    MandatoryMatter,
    MeetingType,
    RecorderSource,
    Retention,
    RuleKey,
    RuleSource,
    Scope,
    Seed,
    TopicCategory,
    VoteBasis,
)
from .org import POST_UNIT_KINDS, Appointment, Bureau, City, Person, Post, Unit, UnitKind, is_unit_post

__all__ = [
    "POST_UNIT_KINDS", "Appointment", "Bureau", "Cadence", "City", "CalendarDay", "CalendarSource", "CalendarYear",
    "LeaveApprover", "MandatoryMatter", "MeetingType", "Person", "Post", "RecorderSource", "Retention", "RuleKey",
    "RuleSource", "Scope", "Seed",
    "TopicCategory", "Unit", "UnitKind", "VoteBasis", "is_unit_post",
]
from .meetings import (  # noqa: E402
    Attendance,
    Briefing,
    CalendarFeed,
    Delivery,
    HeldMeetingError,
    LeaveRequest,
    LeaveStatus,
    Material,
    Meeting,
    MeetingStatus,
    Notification,
    Participant,
    Role,
    Topic,
    TopicStatus,
    Transition,
    Vote,
    VoteChoice,
)

__all__ += [
    "Attendance", "Briefing", "CalendarFeed", "Delivery", "HeldMeetingError", "LeaveRequest", "LeaveStatus", "Material", "Meeting", "MeetingStatus",
    "Notification", "Participant", "Role", "Topic", "TopicStatus", "Transition", "Vote", "VoteChoice",
]
from .deadlines import Alert, AlertKind, Breach, BreachKind  # noqa: E402

__all__ += ["Alert", "AlertKind", "Breach", "BreachKind"]
from .followup import (  # noqa: E402
    Action,
    ActionKind,
    ActionStatus,
    Consultation,
    Preparation,
    PreparationKind,
    ProgressReport,
    QuorumRefusal,
    UnitOpinion,
)

__all__ += ["Action", "ActionKind", "ActionStatus", "Consultation", "Preparation", "PreparationKind", "ProgressReport",
            "QuorumRefusal", "UnitOpinion"]
from .access import (  # noqa: E402
    SEPARATION_REFUSAL,
    AdminRole,
    AdminRoleAssignment,
    CityOversight,
    MinutesBookGrant,
    TopicGrant,
)

__all__ += ["SEPARATION_REFUSAL", "AdminRole", "AdminRoleAssignment", "CityOversight", "MinutesBookGrant", "TopicGrant"]
from .accounts import PasswordHistory, PasswordState, UserSession  # noqa: E402

__all__ += ["PasswordHistory", "PasswordState", "UserSession"]
from .accountability import AccountabilityCase, CaseStatus, Measure  # noqa: E402

__all__ += ["AccountabilityCase", "CaseStatus", "Measure"]
from .record import RecordEntry  # noqa: E402

__all__ += ["RecordEntry"]
from .rights import ActionRight, MeetingRight, TopicRight  # noqa: E402

__all__ += ["ActionRight", "MeetingRight", "TopicRight"]
