"""Only the retention periods are administered here: tips, cases and keys have no admin
pages, so that an administrator's rights never reach a tip (docs/security.md)."""

from django.contrib import admin

from antq.tips.models import RetentionRule


@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin):
    list_display = ("category", "months")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
