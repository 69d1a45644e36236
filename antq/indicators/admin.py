from django.contrib import admin

from antq.indicators.models import DataValue, DataValueChange, Indicator


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "unit",
        "value_type",
        "time_aggregation",
        "derived_source",
        "derived_from",
        "is_standard",
    ]
    list_filter = ["unit", "time_aggregation", "is_standard"]
    search_fields = ["code", "name", "name_en"]
    # Linking an indicator to a registry recounts and audits: `antq derive --link` does it.
    readonly_fields = ["derived_source", "derived_from"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DataValue)
class DataValueAdmin(admin.ModelAdmin):
    list_display = ["indicator", "area", "period", "value", "source", "updated_at"]
    list_filter = ["indicator", "source", "period_type"]
    search_fields = ["area__code", "area__name", "period"]
    list_select_related = ["indicator", "area"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # values change through the audited services only

    def has_delete_permission(self, request, obj=None):
        return False  # nor are they deleted here: unaudited, and the totals would go stale


@admin.register(DataValueChange)
class DataValueChangeAdmin(admin.ModelAdmin):
    list_display = [
        "changed_at",
        "indicator",
        "area",
        "period",
        "old_value",
        "new_value",
        "changed_by",
        "reason",
    ]
    list_select_related = ["indicator", "area", "changed_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
