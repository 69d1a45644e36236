"""Documents, their links, tasks, assignments and progress reports, for reading: they are
written — and never deleted — through the audited pages and services (DESIGN.md: every
change to documents and tasks is in the audit log)."""

from django.contrib import admin

from antq.directives.models import Assignment, Document, DocumentLink, ProgressReport, Task


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["symbol", "kind", "issuer", "issuer_name", "issued_on", "status", "is_stub"]
    list_filter = ["kind", "status", "is_stub", "is_illustrative"]
    search_fields = ["symbol", "subject"]
    readonly_fields = [f.name for f in Document._meta.fields]

    def has_add_permission(self, request):
        return False  # documents are registered through the audited pages

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DocumentLink)
class DocumentLinkAdmin(admin.ModelAdmin):
    list_display = ["source", "kind", "target"]
    list_select_related = ["source", "target"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["plan", "order", "title", "lead_body", "due_on", "recurrence"]
    list_select_related = ["plan", "lead_body"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["task", "body", "is_lead", "due_on", "sent_on"]
    list_select_related = ["task", "body"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    list_display = ["assignment", "reported_on", "completed", "author"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
