"""Grassroots registries (sổ theo dõi ở cơ sở): self-management models, security teams,
media items and movement events.

Every count of the movement's results that these records can give (models in operation,
teams and members, media items, launches and Ngày hội participants) is derived from them into
the indicators (antq.grassroots.counts), so a figure in a report can always be traced back to
named records, and nobody types a total twice.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from antq.accounts.models import Body
from antq.areas.models import Area


class ModelType(models.Model):
    """A kind of movement model (types are data: a province adds its own)."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("model type")
        verbose_name_plural = _("model types")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ModelStatus(models.TextChoices):
    OPERATING = "operating", _("Operating")
    PAUSED = "paused", _("Paused")
    DISSOLVED = "dissolved", _("Dissolved")


class Rating(models.TextChoices):
    GOOD = "tot", _("Good")
    FAIR = "kha", _("Fair")
    AVERAGE = "trung_binh", _("Average")
    WEAK = "yeu", _("Weak")


class SelfManagementModel(models.Model):
    """A “Tự phòng, tự quản, tự bảo vệ, tự hòa giải về an ninh, trật tự” model or another
    movement model. Its status over time is the list of its StatusChanges; it is in operation
    on a day when the latest change on or before that day says so."""

    name = models.CharField(_("name"), max_length=300)
    type = models.ForeignKey(
        ModelType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="models"
    )
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    place = models.CharField(_("village or residential group"), max_length=200, blank=True)
    host_body = models.ForeignKey(
        Body,
        verbose_name=_("host body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    founded_on = models.DateField(_("founded on"))
    members = models.PositiveIntegerField(_("members"), default=0)
    replicated_from = models.ForeignKey(
        "self",
        verbose_name=_("replicated from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replicas",
    )
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status today"), max_length=16, choices=ModelStatus.choices, default=ModelStatus.OPERATING
    )  # the latest change's status, kept by the services for lists and filters
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("self-management model")
        verbose_name_plural = _("self-management models")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["area", "founded_on"])]

    def __str__(self) -> str:
        return self.name


class StatusChange(models.Model):
    model = models.ForeignKey(
        SelfManagementModel, on_delete=models.CASCADE, related_name="status_changes"
    )
    status = models.CharField(_("status"), max_length=16, choices=ModelStatus.choices)
    since = models.DateField(_("since"))
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["since", "id"]
        constraints = [
            models.UniqueConstraint(fields=["model", "since"], name="statuschange_one_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.since}: {self.status}"


class Assessment(models.Model):
    """The yearly assessment of a model's effectiveness."""

    model = models.ForeignKey(
        SelfManagementModel, on_delete=models.CASCADE, related_name="assessments"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    rating = models.CharField(_("rating"), max_length=16, choices=Rating.choices)
    notes = models.TextField(_("notes"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["model", "year"], name="assessment_one_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.rating}"


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"grassroots/{instance.model_id}/{filename}"


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    DOCUMENT = "document", _("Document")


class Attachment(models.Model):
    model = models.ForeignKey(
        SelfManagementModel, on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=AttachmentKind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    file = models.FileField(_("file"), upload_to=attachment_path)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title or self.file.name


# Law 30/2023/QH15 on the forces protecting security and order at the grassroots took
# effect on 1/7/2024; teams under it exist from that day.
TEAMS_LAW_FROM = dt.date(2024, 7, 1)


class SecurityTeam(models.Model):
    """A tổ bảo vệ an ninh, trật tự of a village or residential group (Law 30/2023/QH15)."""

    name = models.CharField(_("name"), max_length=200)
    area = models.ForeignKey(
        Area, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    place = models.CharField(_("village or residential group"), max_length=200)
    decision_number = models.CharField(_("decision number"), max_length=64)
    decision_date = models.DateField(_("decision date"))
    established_on = models.DateField(_("established on"))
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("security team")
        verbose_name_plural = _("security teams")
        ordering = ["area_id", "place", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=F("established_on")),
                name="team_dates_order",
            )
        ]

    def __str__(self) -> str:
        return self.name


class MemberRole(models.TextChoices):
    LEADER = "to_truong", _("Team leader")
    DEPUTY = "to_pho", _("Deputy leader")
    MEMBER = "to_vien", _("Member")


class TeamMember(models.Model):
    """A member of a security team. A real person: visible only within the team's scope."""

    team = models.ForeignKey(SecurityTeam, on_delete=models.CASCADE, related_name="members")
    full_name = models.CharField(_("full name"), max_length=150)
    role = models.CharField(_("role"), max_length=16, choices=MemberRole.choices)
    birth_date = models.DateField(_("date of birth"))
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["team_id", "role", "full_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="member_dates_order",
            )
        ]

    def __str__(self) -> str:
        return self.full_name


class MediaKind(models.TextChoices):
    NEWS = "tin", _("News item")
    ARTICLE = "bai", _("Article")
    PHOTO = "anh", _("Photo")
    REPORT = "phong_su", _("Feature report")
    VIDEO = "video", _("Video")


class OutletLevel(models.TextChoices):
    CENTRAL = "central", _("Central")
    LOCAL = "local", _("Local")


def media_file_path(instance: MediaItem, filename: str) -> str:
    return f"grassroots/media/{filename}"


class MediaItem(models.Model):
    """A piece of propaganda output on security and order (tin, bài, ảnh, phóng sự): a link to
    it, or the file itself (a PDF of the page, a photo)."""

    title = models.CharField(_("title"), max_length=400)
    kind = models.CharField(_("type"), max_length=16, choices=MediaKind.choices)
    outlet = models.CharField(_("outlet"), max_length=200)
    outlet_level = models.CharField(_("outlet level"), max_length=16, choices=OutletLevel.choices)
    published_on = models.DateField(_("published on"))
    area = models.ForeignKey(
        Area, verbose_name=_("area concerned"), on_delete=models.PROTECT, related_name="+"
    )
    link = models.URLField(_("link"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to=media_file_path, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("media item")
        verbose_name_plural = _("media items")
        ordering = ["-published_on", "id"]
        indexes = [
            models.Index(fields=["published_on", "area"]),
            models.Index(fields=["area", "published_on"]),
        ]

    def __str__(self) -> str:
        return self.title


class EventKind(models.TextChoices):
    LAUNCH = "launch", _("Movement launch (phát động)")
    NGAY_HOI = "ngay_hoi", _("All-people National Security Day (Ngày hội, 19/8)")
    MEETING = "meeting", _("Residents' meeting")


class MovementEvent(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=300)
    held_on = models.DateField(_("date"))
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    participants = models.PositiveIntegerField(_("participants"), default=0)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("movement event")
        verbose_name_plural = _("movement events")
        ordering = ["-held_on", "id"]
        indexes = [models.Index(fields=["held_on", "area"])]

    def __str__(self) -> str:
        return self.title


# --- the annual assessment of the movement ---------------------------------------------------


class Classification(models.TextChoices):
    EXCELLENT = "xuat_sac", pgettext_lazy("movement class", "Excellent")
    GOOD = "kha", pgettext_lazy("movement class", "Good")
    AVERAGE = "trung_binh", pgettext_lazy("movement class", "Average")
    WEAK = "yeu", pgettext_lazy("movement class", "Weak")


class CriteriaSheet(models.Model):
    """The year's sheet of criteria for assessing the movement in a commune (100 points in
    all), with the points that separate the classes."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    name = models.CharField(_("name"), max_length=300)
    excellent_from = models.PositiveSmallIntegerField(_("excellent from (points)"), default=90)
    good_from = models.PositiveSmallIntegerField(_("good from (points)"), default=70)
    average_from = models.PositiveSmallIntegerField(_("average from (points)"), default=50)
    # The body that set the sheet: only its managers and administrators change it afterwards.
    owner = models.ForeignKey(
        "accounts.Body",
        verbose_name=_("set by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("criteria sheet")
        verbose_name_plural = _("criteria sheets")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(excellent_from__gt=F("good_from"))
                & Q(good_from__gt=F("average_from"))
                & Q(excellent_from__lte=100),
                name="criteriasheet_thresholds_order",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def classify(self, points) -> str:
        if points >= self.excellent_from:
            return Classification.EXCELLENT
        if points >= self.good_from:
            return Classification.GOOD
        if points >= self.average_from:
            return Classification.AVERAGE
        return Classification.WEAK


class Criterion(models.Model):
    sheet = models.ForeignKey(CriteriaSheet, on_delete=models.CASCADE, related_name="criteria")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.CharField(_("criterion"), max_length=500)
    max_points = models.DecimalField(_("points"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["sheet_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "number"], name="criterion_number_unique"),
            models.CheckConstraint(condition=Q(max_points__gt=0), name="criterion_points_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Being self-assessed")
    SUBMITTED = "submitted", _("Self-assessed, waiting for review")
    REVIEWED = "reviewed", _("Reviewed")


class MovementAssessment(models.Model):
    """A commune's assessment of the movement for a year: its own points per criterion, then
    the points of the level above, whose total gives the class."""

    sheet = models.ForeignKey(CriteriaSheet, on_delete=models.PROTECT, related_name="assessments")
    area = models.ForeignKey(
        Area, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=16, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    self_total = models.DecimalField(max_digits=6, decimal_places=2, default=0)
    review_total = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    classification = models.CharField(
        _("class"), max_length=16, choices=Classification.choices, blank=True
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_note = models.TextField(_("review note"), blank=True)

    class Meta:
        verbose_name = _("movement assessment")
        verbose_name_plural = _("movement assessments")
        ordering = ["-sheet__year", "area_id"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "area"], name="movementassessment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.area_id} {self.sheet_id}"


class Score(models.Model):
    assessment = models.ForeignKey(
        MovementAssessment, on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    self_points = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    review_points = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    evidence = models.CharField(_("evidence"), max_length=500, blank=True)

    class Meta:
        ordering = ["criterion__number"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="score_unique")
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.self_points} / {self.review_points}"


class RecognitionResult(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    RECOGNISED = "recognised", _("Recognised")
    NOT_RECOGNISED = "not_recognised", _("Not recognised")


class SafetyRecognition(models.Model):
    """A residential area's or commune's registration for, and recognition as, “An toàn về an
    ninh, trật tự” in a year (Thông tư 124/2021/TT-BCA): registered in the first quarter,
    assessed and recognised at the year's end."""

    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    registered_on = models.DateField(_("registered on"))
    result = models.CharField(
        _("result"),
        max_length=16,
        choices=RecognitionResult.choices,
        default=RecognitionResult.REGISTERED,
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=64, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("safety recognition")
        verbose_name_plural = _("safety recognitions")
        ordering = ["-year", "area_id"]
        constraints = [
            models.UniqueConstraint(fields=["area", "year"], name="recognition_one_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.area_id} {self.year}: {self.result}"
