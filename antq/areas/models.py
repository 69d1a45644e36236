"""Areas (địa bàn): administrative units whose shape changes over time.

An Area keeps one name, kind and level for its whole life; a rename, a change of type or a
merger ends it and starts a successor, linked by a Succession. Official codes are reused
(code 05977 was Phường Vĩnh Trại until 30/6/2025 and is Phường Đông Kinh from 1/7/2025), so
an area is identified by its code *and a date*. Parent links are effective-dated; AreaTreePath
is their closure, so "the subtree of X on date D" is one indexed query.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

# Closure rows use this in place of "still valid" so date ranges index cleanly.
OPEN_END = dt.date(9999, 12, 31)


class Level(models.TextChoices):
    NATION = "nation", _("Nation")
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")
    VILLAGE = "village", _("Village")


LEVEL_RANK = {
    Level.NATION: 0,
    Level.PROVINCE: 1,
    Level.DISTRICT: 2,
    Level.COMMUNE: 3,
    Level.VILLAGE: 4,
}


class Kind(models.TextChoices):
    COUNTRY = "country", _("Country")
    PROVINCE = "province", _("Province (tỉnh)")
    CENTRAL_CITY = "central_city", _("Centrally-run city")
    RURAL_DISTRICT = "rural_district", _("Rural district (huyện)")
    URBAN_DISTRICT = "urban_district", _("Urban district (quận)")
    DISTRICT_TOWN = "district_town", _("District-level town (thị xã)")
    PROVINCIAL_CITY = "provincial_city", _("Provincial city")
    MUNICIPAL_CITY = "municipal_city", _("City under a centrally-run city")
    COMMUNE = "commune", _("Commune (xã)")
    WARD = "ward", _("Ward (phường)")
    TOWNSHIP = "township", _("Township (thị trấn)")
    SPECIAL_ZONE = "special_zone", _("Special zone (đặc khu)")
    VILLAGE = "village", _("Village (thôn, bản)")
    RESIDENTIAL_GROUP = "residential_group", _("Residential group (tổ dân phố)")


class Area(models.Model):
    code = models.CharField(_("official code"), max_length=16, db_index=True)
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=64, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["code", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "level", "valid_from"], name="area_code_level_from_unique"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="area_valid_range",
            ),
        ]
        indexes = [models.Index(fields=["level", "valid_from", "valid_to"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def is_valid_on(self, on: dt.date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


class AreaLink(models.Model):
    """The child was under the parent from valid_from to valid_to (inclusive)."""

    child = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="parent_links")
    parent = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="child_links")
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("parent link")
        verbose_name_plural = _("parent links")
        constraints = [
            models.UniqueConstraint(
                fields=["child", "valid_from"], name="arealink_child_from_unique"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="arealink_valid_range",
            ),
            models.CheckConstraint(condition=~Q(child=F("parent")), name="arealink_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.child_id} → {self.parent_id} [{self.valid_from}..{self.valid_to or ''}]"


class AreaTreePath(models.Model):
    """Closure of AreaLink: `ancestor` is `depth` levels above `descendant` over the dates.

    Derived data, rebuilt by services.area_tree_rebuild(); never edited by hand.
    """

    ancestor = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    descendant = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="tree_paths")
    depth = models.PositiveSmallIntegerField()
    descendant_level = models.CharField(max_length=16, choices=Level.choices)
    valid_from = models.DateField()
    valid_to = models.DateField()  # OPEN_END when still valid

    class Meta:
        indexes = [
            models.Index(
                fields=["ancestor", "descendant_level", "valid_from", "valid_to"],
                name="areatree_subtree_idx",
            ),
            models.Index(
                fields=["ancestor", "depth", "valid_from", "valid_to"],
                name="areatree_children_idx",
            ),
            models.Index(
                fields=["descendant", "valid_from", "valid_to"], name="areatree_ancestors_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ancestor_id} ⊇ {self.descendant_id} (+{self.depth})"


class SuccessionKind(models.TextChoices):
    MERGE_WHOLE = "merge_whole", _("Merged whole")
    MERGE_PART = "merge_part", _("Part merged")
    RENAME = "rename", _("Renamed")
    TYPE_CHANGE = "type_change", _("Changed type")
    TO_SPECIAL_ZONE = "to_special_zone", _("Became a special zone")
    DISTRICT_ABOLISHED = "district_abolished", _("District level abolished")
    OTHER = "other", _("Other")


class Succession(models.Model):
    """From `effective_date`, `share` of the predecessor's values belong to the successor.

    The shares of one predecessor's successions on one date add up to 1. Where the official
    table does not give shares, the loader splits equally and says so; an administrator may
    set them (share_set_by_admin keeps a reload from overwriting them).
    """

    predecessor = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="successions_out")
    successor = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="successions_in")
    effective_date = models.DateField(_("effective date"))
    kind = models.CharField(_("kind"), max_length=32, choices=SuccessionKind.choices)
    share = models.DecimalField(_("share"), max_digits=9, decimal_places=8)
    share_set_by_admin = models.BooleanField(_("share set by an administrator"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("succession")
        verbose_name_plural = _("successions")
        ordering = ["effective_date", "predecessor_id", "successor_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor", "effective_date"],
                name="succession_unique",
            ),
            models.CheckConstraint(
                condition=Q(share__gte=0) & Q(share__lte=1), name="succession_share_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor_id} → {self.successor_id} ({self.effective_date}, {self.share})"


class AreaLoad(models.Model):
    """A record of each load of the official files, so setup knows whether to load again."""

    loaded_at = models.DateTimeField(auto_now_add=True)
    files_sha256 = models.CharField(max_length=64)
    summary = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("areas load")
        verbose_name_plural = _("areas loads")
        ordering = ["-loaded_at"]

    def __str__(self) -> str:
        return f"{self.loaded_at:%Y-%m-%d %H:%M} {self.files_sha256[:12]}"
