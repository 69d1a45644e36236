"""Areas come from the official files: the admin shows them and lets nobody edit them by hand."""

from django.contrib import admin

from antq.areas.models import Area, AreaLink, Succession


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ParentLinkInline(admin.TabularInline):
    model = AreaLink
    fk_name = "child"
    fields = ["parent", "valid_from", "valid_to", "source"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Area)
class AreaAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "level", "kind", "valid_from", "valid_to"]
    list_filter = ["level", "kind", "valid_to"]
    search_fields = ["code", "name"]
    inlines = [ParentLinkInline]


@admin.register(Succession)
class SuccessionAdmin(ReadOnlyAdmin):
    list_display = [
        "predecessor",
        "successor",
        "effective_date",
        "kind",
        "share",
        "share_set_by_admin",
    ]
    list_filter = ["kind", "effective_date", "share_set_by_admin"]
    search_fields = ["predecessor__code", "predecessor__name", "successor__code", "successor__name"]
    list_select_related = ["predecessor", "successor"]
