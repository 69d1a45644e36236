from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from antq.grassroots.models import CriteriaSheet, Criterion, ModelType


@admin.register(ModelType)
class ModelTypeAdmin(admin.ModelAdmin):
    """Types of movement models are data: a province adds its own."""

    list_display = ["name", "code", "name_en"]
    search_fields = ["name", "code"]

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.models.exists()


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(CriteriaSheet)
class CriteriaSheetAdmin(admin.ModelAdmin):
    """The year's criteria (100 points in all: an assessment refuses a sheet that does not add
    up). A sheet in use by assessments cannot change."""

    list_display = ["year", "name", "total_points", "excellent_from", "good_from", "average_from"]
    inlines = [CriterionInline]

    @admin.display(description=_("points in all"))
    def total_points(self, obj):
        return sum(c.max_points for c in obj.criteria.all()).normalize()

    def has_change_permission(self, request, obj=None):
        return obj is None or not obj.assessments.exists()

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.assessments.exists()
