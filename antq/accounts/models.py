"""Who acts: bodies (cơ quan, tổ chức), the people in them, their roles and API tokens."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from antq.areas.models import Area


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    # Login throttling lives on the account row: bounded by the number of accounts.
    failed_logins = models.PositiveIntegerField(default=0, editable=False)
    first_failed_login_at = models.DateTimeField(null=True, blank=True, editable=False)
    locked_until = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name() or self.username


class BodyKind(models.TextChoices):
    PARTY_COMMITTEE = "party_committee", _("Party committee")
    PARTY_STANDING_BOARD = "party_standing_board", _("Party standing board")
    PARTY_BOARD = "party_board", _("Party board")
    PARTY_CAUCUS = "party_caucus", _("Party caucus committee")
    PARTY_DELEGATION = "party_delegation", _("Party delegation")
    PEOPLES_COMMITTEE = "peoples_committee", _("People's committee")
    POLICE = "police", _("Police")
    FATHERLAND_FRONT = "fatherland_front", _("Fatherland Front")
    MASS_ORGANISATION = "mass_organisation", _("Mass organisation")
    INSPECTION_BODY = "inspection_body", _("Inspection body")
    OTHER = "other", _("Other")


class Body(models.Model):
    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=BodyKind.choices)
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="bodies"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    valid_from = models.DateField(_("valid from"), default=dt.date(2019, 1, 1))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="body_valid_range",
            ),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="body_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def is_valid_on(self, on: dt.date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


class Role(models.TextChoices):
    VIEWER = "viewer", _("Viewer")
    DATA_ENTRY = "data_entry", _("Data entry")
    APPROVER = "approver", _("Approver")
    MANAGER = "manager", _("Manager")
    ADMINISTRATOR = "administrator", _("Administrator")
    # Reads citizens' tips routed to the body; grants nothing else, and no other role —
    # administrator included — grants it (antq.tips).
    TIP_HANDLER = "tip_handler", _("Tip handler")


class Membership(models.Model):
    """A user's role in a body; it reaches the body's area and everything under it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    valid_from = models.DateField(_("valid from"), default=dt.date(2019, 1, 1))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "body", "role"], name="membership_unique"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="membership_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.body}"


class ApiToken(models.Model):
    """An API token; only its SHA-256 is stored, the token itself is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(_("prefix"), max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class SecondFactor(models.Model):
    """A user's authenticator app (TOTP). Its secret is sealed by the master key (as the
    tip line's keys are: a copy of the database alone does not let anyone compute codes)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="second_factor"
    )
    sealed_secret = models.BinaryField()
    master_id = models.CharField(max_length=16)  # fingerprint of the master key that sealed it
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_step = models.BigIntegerField(default=-1)  # the last step accepted: no replays
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("second factor")
        verbose_name_plural = _("second factors")

    def __str__(self) -> str:
        return f"{self.user} ({'confirmed' if self.confirmed_at else 'pending'})"
