"""Citizens' tips (nguồn tin) and the cases they help clear — the sealed room of antq.

What a tipster wrote (the content, the place, the fraud details, attachments, the contact
block, the messages) is stored only as ciphertext under the tip's own data key; that key is
stored only wrapped for the bodies allowed to read the tip (`WrappedKey`), whose private keys
are stored only sealed by the master key held outside the database (`BodyKey`). What is kept
in clear is what routing, deadlines, counts and retention need: the commune, the handling
body, the hour of receipt, the channel, the topic and the handling state. No other app
imports this one (docs/security.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from antq.accounts.models import Body
from antq.areas.models import Area


class Channel(models.TextChoices):
    WEB = "web", _("Tip page on the internet")
    API = "api", _("Partner application (API)")
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("By telephone")
    LETTER = "letter", _("By letter")
    MEDIA = "media", _("From the press or media")
    VNEID = "vneid", _("VNeID: reports on security and order")


# Channels an officer records a tip from (the web page and the API record themselves).
OFFICER_CHANNELS = (
    Channel.IN_PERSON,
    Channel.PHONE,
    Channel.LETTER,
    Channel.MEDIA,
    Channel.VNEID,
)


class Topic(models.TextChoices):
    ONLINE_FRAUD = "online_fraud", _("Online fraud")
    DRUGS = "drugs", _("Drugs")
    THEFT = "theft", _("Theft, robbery")
    GAMBLING = "gambling", _("Gambling, betting")
    SMUGGLING = "smuggling", _("Smuggling, banned goods")
    VIOLENCE = "violence", _("Fights, assault, public disorder")
    TRAFFICKING = "trafficking", _("Human trafficking")
    OTHER = "other", _("Other")


class Kind(models.TextChoices):
    UNCLASSIFIED = "unclassified", _("Not classified yet")
    CRIME = "crime", _("Report of a crime (tố giác, tin báo về tội phạm)")
    ORDER = "order", _("Report on security and order")


class Triage(models.TextChoices):
    PENDING = "pending", _("Not assessed yet")
    VALUABLE = "valuable", _("Of value")
    NOT_VALUABLE = "not_valuable", _("Of no value")
    DUPLICATE = "duplicate", _("Duplicate")
    OUT_OF_SCOPE = "out_of_scope", _("Out of scope")


class State(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("tip state", "Received")
    CHECKING = "checking", pgettext_lazy("tip state", "Being verified")
    TRANSFERRED = "transferred", pgettext_lazy("tip state", "Transferred")
    CLOSED = "closed", pgettext_lazy("tip state", "Settled")


class Decision(models.TextChoices):
    """The three decisions that settle a report of a crime (Criminal Procedure Code, Art. 147)."""

    PROSECUTE = "prosecute", _("Decision to institute criminal proceedings")
    NOT_PROSECUTE = "not_prosecute", _("Decision not to institute criminal proceedings")
    SUSPEND = "suspend", _("Decision to suspend the settlement")


class RetentionCategory(models.TextChoices):
    CRIME = "crime", _("Reports of crimes")
    ORDER = "order", _("Reports on security and order")
    NO_ACTION = "no_action", _("Tips of no value, duplicates, out of scope")


class Tip(models.Model):
    # To the hour only: a finer time could tie a tip to a person seen sending it.
    received_at = models.DateTimeField(_("received (hour)"))
    received_on = models.DateField(_("received on"), db_index=True)  # in Vietnam time
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    area = models.ForeignKey(
        Area, verbose_name=_("commune or ward"), on_delete=models.PROTECT, related_name="+"
    )
    body = models.ForeignKey(
        Body, verbose_name=_("handling body"), on_delete=models.PROTECT, related_name="+"
    )
    topic = models.CharField(_("topic"), max_length=16, choices=Topic.choices)
    kind = models.CharField(
        _("classification"), max_length=16, choices=Kind.choices, default=Kind.UNCLASSIFIED
    )
    triage = models.CharField(
        _("assessment"), max_length=16, choices=Triage.choices, default=Triage.PENDING
    )
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.RECEIVED
    )
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    # The legal deadline for settling a report of a crime, and how often it was extended.
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    extensions = models.PositiveSmallIntegerField(_("extensions"), default=0)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_on = models.DateField(_("settled on"), null=True, blank=True)
    # Ciphertexts (antq.core.crypto): the content block and, separately, the contact block.
    content = models.BinaryField(editable=False)
    contact = models.BinaryField(null=True, editable=False)
    # argon2id of the receipt under the pepper; None once erased (or for none issued).
    receipt_digest = models.BinaryField(max_length=32, null=True, unique=True, editable=False)
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True)

    class Meta:
        verbose_name = _("tip")
        verbose_name_plural = _("tips")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["body", "state"]), models.Index(fields=["area"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(extensions__lte=2), name="tip_at_most_two_extensions"
            ),
            models.CheckConstraint(
                condition=Q(decision="") | Q(kind="crime"), name="tip_decision_only_for_crime"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        """The number officers handle the tip by (it says nothing about its content)."""
        return f"NT-{self.received_at:%y}-{self.pk:06d}"

    @property
    def retention_category(self) -> str:
        if self.triage in (Triage.NOT_VALUABLE, Triage.DUPLICATE, Triage.OUT_OF_SCOPE):
            return RetentionCategory.NO_ACTION
        return RetentionCategory.CRIME if self.kind == Kind.CRIME else RetentionCategory.ORDER


class BodyKey(models.Model):
    """A body's key pair: the public key in clear, the private key sealed by the master key."""

    body = models.OneToOneField(Body, on_delete=models.PROTECT, related_name="+")
    public = models.BinaryField(max_length=32)
    sealed_private = models.BinaryField()
    master_id = models.CharField(max_length=16)  # which master key sealed it
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("body key")
        verbose_name_plural = _("body keys")

    def __str__(self) -> str:
        return f"{self.body} ({self.master_id})"


class WrappedKey(models.Model):
    """A tip's data key sealed for one body allowed to read it."""

    tip = models.ForeignKey(Tip, on_delete=models.CASCADE, related_name="keys")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+")
    wrapped = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tip", "body"], name="wrapped_key_unique")]

    def __str__(self) -> str:
        return f"{self.tip_id} → {self.body_id}"


class Secret(models.Model):
    """A deployment secret kept sealed by the master key (the receipts' pepper)."""

    name = models.CharField(max_length=32, unique=True)
    sealed = models.BinaryField()
    master_id = models.CharField(max_length=16)

    def __str__(self) -> str:
        return self.name


class Attachment(models.Model):
    tip = models.ForeignKey(Tip, on_delete=models.CASCADE, related_name="attachments")
    ext = models.CharField(max_length=8)  # .jpg, .png, .pdf
    box = models.BinaryField()  # the file, encrypted under the tip's data key

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.tip_id}#{self.pk}{self.ext}"


class Author(models.TextChoices):
    CITIZEN = "citizen", _("The sender")
    UNIT = "unit", _("The handling unit")
    NOTE = "note", _("Internal note")


class Message(models.Model):
    tip = models.ForeignKey(Tip, on_delete=models.CASCADE, related_name="messages")
    author = models.CharField(max_length=8, choices=Author.choices)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A citizen's message to the hour, like the tip itself.
    at = models.DateTimeField()
    box = models.BinaryField()

    class Meta:
        ordering = ["pk"]  # the order they came in (a citizen's time is to the hour)

    def __str__(self) -> str:
        return f"{self.tip_id}#{self.pk} ({self.author})"


class Case(models.Model):
    """A case (vụ án, vụ việc) cleared with the help of tips: numbers, never contents."""

    number = models.CharField(_("case number"), max_length=64, unique=True)
    offence = models.CharField(_("offence group"), max_length=16, choices=Topic.choices)
    area = models.ForeignKey(
        Area, verbose_name=_("commune or ward"), on_delete=models.PROTECT, related_name="+"
    )
    body = models.ForeignKey(
        Body, verbose_name=_("handling body"), on_delete=models.PROTECT, related_name="+"
    )
    opened_on = models.DateField(_("opened on"))
    cleared_on = models.DateField(_("cleared on"), null=True, blank=True)
    suspects = models.PositiveIntegerField(_("suspects"), default=0)
    assets_vnd = models.PositiveBigIntegerField(_("assets recovered (VND)"), default=0)
    tips = models.ManyToManyField(Tip, verbose_name=_("tips"), related_name="cases")

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cleared_on__isnull=True) | Q(cleared_on__gte=models.F("opened_on")),
                name="case_cleared_after_opened",
            )
        ]

    def __str__(self) -> str:
        return self.number


class RetentionRule(models.Model):
    """How long a settled tip of a category is kept before it is crypto-erased."""

    category = models.CharField(
        _("category"), max_length=16, choices=RetentionCategory.choices, unique=True
    )
    months = models.PositiveIntegerField(_("months after settlement"))

    class Meta:
        verbose_name = _("retention period")
        verbose_name_plural = _("retention periods")

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.months}"
