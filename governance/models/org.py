"""Organisation (docs/architecture.md, Organisation): bureaus, units, people and their dated appointments to posts."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class UnitKind(models.TextChoices):
    DIVISION = "division", _("处室")
    AFFILIATED = "affiliated", _("局属单位")
    GENERAL_OFFICE = "general_office", _("办公室")
    SUPERVISION_OFFICE = "supervision_office", _("监察室")


class Post(models.TextChoices):
    """Posts a person may hold (several at once), docs/architecture.md, Organisation."""

    PARTY_SECRETARY = "party_secretary", _("党组书记")
    PARTY_MEMBER = "party_member", _("党组成员")
    DIRECTOR = "director", _("局长")
    DEPUTY_DIRECTOR = "deputy_director", _("副局长")
    DISCIPLINE_SECRETARY = "discipline_secretary", _("纪委书记")
    UNIT_HEAD = "unit_head", _("处室负责人")
    UNIT_DEPUTY_HEAD = "unit_deputy_head", _("处室副职负责人")
    UNIT_STAFF = "unit_staff", _("处室工作人员")
    LEADER_IN_CHARGE = "leader_in_charge", _("分管领导")


ALL_UNIT_KINDS = frozenset(UnitKind.values)
# Which unit kinds hold a post. Bureau-level posts are held in the bureau itself (no unit); a
# unit-level post names the unit it concerns: a head heads it, a leader in charge supervises it.
POST_UNIT_KINDS: dict[str, frozenset[str]] = {
    Post.PARTY_SECRETARY: frozenset(),
    Post.PARTY_MEMBER: frozenset(),
    Post.DIRECTOR: frozenset(),
    Post.DEPUTY_DIRECTOR: frozenset(),
    Post.DISCIPLINE_SECRETARY: frozenset(),
    Post.UNIT_HEAD: ALL_UNIT_KINDS,
    Post.UNIT_DEPUTY_HEAD: ALL_UNIT_KINDS,
    Post.UNIT_STAFF: ALL_UNIT_KINDS,
    Post.LEADER_IN_CHARGE: ALL_UNIT_KINDS,
}


def is_unit_post(post: str) -> bool:
    return bool(POST_UNIT_KINDS.get(post))


class City(models.Model):
    """A city whose bureaus share one deployment: its overseers (市纪委监委, 市政府督查室), by a dated,
    revocable grant (`CityOversight`), see every bureau's compliance figures side by side."""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100, unique=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("市")
        verbose_name_plural = _("市")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Bureau(models.Model):
    """The root of every record: nobody sees another bureau's records unless granted."""

    city = models.ForeignKey(City, on_delete=models.PROTECT, null=True, blank=True, related_name="bureaus",
                             verbose_name=_("所属市"), help_text=_("市级监督可并列查看本市各局的合规情况。"))
    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(
        _("简称"), max_length=20, help_text=_("用于纪要编号等处，如“商务局”。")
    )
    cadence_since = models.DateField(
        _("会议周期考核起始日"), null=True, blank=True,
        help_text=_("从这一天所在的周期起，检查各类会议是否按周期召开（R-CA-1）；留空则只提醒、不记违规。"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("局")
        verbose_name_plural = _("局")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """A division (处室), an affiliated unit (局属单位), the General Office or the Supervision Office."""

    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, related_name="units", verbose_name=_("局"))
    code = models.SlugField(_("代码"), max_length=32)
    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=20, help_text=_("用于纪要编号，如“外贸处”。"))
    kind = models.CharField(_("类别"), max_length=24, choices=UnitKind.choices, default=UnitKind.DIVISION)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("在用"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("处室/单位")
        verbose_name_plural = _("处室/单位")
        ordering = ["bureau", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["bureau", "code"], name="unit_code_unique_in_bureau",
                violation_error_message=_("本局已有相同代码的处室/单位。"),
            ),
            models.UniqueConstraint(
                fields=["bureau", "name"], name="unit_name_unique_in_bureau",
                violation_error_message=_("本局已有同名的处室/单位。"),
            ),
            # The General Office and the Supervision Office are unique per bureau.
            models.UniqueConstraint(
                fields=["bureau", "kind"],
                condition=Q(kind__in=[UnitKind.GENERAL_OFFICE, UnitKind.SUPERVISION_OFFICE]),
                name="one_general_and_supervision_office_per_bureau",
                violation_error_message=_("每个局只能有一个办公室和一个监察室。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """A person's profile: the name shown everywhere and the bureau they belong to."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="person", verbose_name=_("账号")
    )
    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, related_name="people", verbose_name=_("局"))
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("电话"), max_length=30, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["bureau", "name"]

    def __str__(self) -> str:
        return self.name


class AppointmentQuerySet(models.QuerySet):
    def on(self, day) -> AppointmentQuerySet:
        """Appointments in force on `day` (start inclusive, end inclusive)."""
        return self.filter(start__lte=day).filter(Q(end__isnull=True) | Q(end__gte=day))


class Appointment(models.Model):
    """A person holds a post from `start` to `end` (inclusive; open-ended when empty)."""

    bureau = models.ForeignKey(
        Bureau, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("局")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("人员")
    )
    post = models.CharField(_("职务"), max_length=32, choices=Post.choices)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="appointments",
        verbose_name=_("处室/单位"),
        help_text=_("处室职务填所在处室；分管领导填所分管的处室；局领导职务留空。"),
    )
    start = models.DateField(_("任职起始日"))
    end = models.DateField(_("任职截止日"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("任职")
        verbose_name_plural = _("任职")
        ordering = ["bureau", "post", "start"]
        indexes = [models.Index(fields=["bureau", "post", "start"]), models.Index(fields=["unit", "post"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="appointment_end_after_start",
                violation_error_message=_("任职截止日不能早于起始日。"),
            ),
        ]

    def __str__(self) -> str:
        where = f"{self.unit} " if self.unit_id else ""
        return f"{where}{self.get_post_display()}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.end and self.start and self.end < self.start:
            errors["end"] = _("任职截止日不能早于起始日。")
        kinds = POST_UNIT_KINDS.get(self.post, frozenset())
        if kinds and not self.unit_id:
            errors["unit"] = _("“%(post)s”是处室职务，必须填写处室/单位。") % {"post": self.get_post_display()}
        elif not kinds and self.unit_id:
            errors["unit"] = _("“%(post)s”是局领导职务，不应填写处室/单位。") % {"post": self.get_post_display()}
        elif self.unit_id and self.bureau_id and self.unit.bureau_id != self.bureau_id:
            errors["unit"] = _("处室/单位不属于所选的局。")
        if self.person_id and self.person.admin_role_assignments.filter(revoked_at__isnull=True).exists():
            # 三员分立: an administrator's account holds no post, so no post lets it into a meeting.
            errors["person"] = _("管理员账号不担任职务：系统管理员、安全管理员和审计管理员不因职务参加会议或阅读会议内容（三员分立）。")
        if errors:
            raise ValidationError(errors)
