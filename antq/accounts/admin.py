"""Administration of people and bodies; every save goes through the audited services."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from antq.accounts import services
from antq.accounts.models import ApiToken, Body, Membership, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "full_name", "title", "is_active", "is_superuser", "locked_until"]
    search_fields = ["username", "full_name", "email"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("full_name", "title", "email")}),
        (_("Rights"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Login"), {"fields": ("last_login", "date_joined", "failed_logins", "locked_until")}),
    )
    add_fieldsets = (
        (None, {"fields": ("username", "full_name", "title", "password1", "password2")}),
    )
    readonly_fields = ["last_login", "date_joined", "failed_logins", "locked_until"]
    actions = ["unlock", "remove_second_factor"]

    @admin.action(description=_("Unlock the selected accounts"))
    def unlock(self, request, queryset):
        for user in queryset:
            services.user_unlock(user=user, actor=request.user)
        messages.success(request, _("Accounts unlocked."))

    @admin.action(description=_("Remove the second factor (lost phone)"))
    def remove_second_factor(self, request, queryset):
        n = sum(services.second_factor_remove(user=u, actor=request.user) for u in queryset)
        messages.success(request, _("Second factor removed from %(n)s account(s).") % {"n": n})


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "area", "parent", "valid_from", "valid_to"]
    list_filter = ["kind"]
    search_fields = ["name", "code", "area__name", "area__code"]
    autocomplete_fields = ["area", "parent"]
    list_select_related = ["area", "parent"]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = services.body_save(
            code=data["code"],
            name=data["name"],
            short_name=data.get("short_name", ""),
            kind=data["kind"],
            area=data["area"],
            parent=data.get("parent"),
            valid_from=data["valid_from"],
            valid_to=data.get("valid_to"),
            actor=request.user,
        )
        obj.pk = saved.pk

    def has_delete_permission(self, request, obj=None):
        return False  # bodies end (valid_to); they are not deleted


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "body", "role", "valid_from", "valid_to"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__full_name", "body__name"]
    autocomplete_fields = ["user", "body"]
    list_select_related = ["user", "body"]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = services.membership_grant(
            user=data["user"],
            body=data["body"],
            role=data["role"],
            valid_from=data["valid_from"],
            valid_to=data.get("valid_to"),
            actor=request.user,
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.membership_revoke(membership=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for membership in queryset:
            services.membership_revoke(membership=membership, actor=request.user)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "name", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "user", "name", "created_at", "last_used_at", "revoked_at"]
    exclude = ["key_hash"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # a token is revoked (audited), not deleted

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            services.token_revoke(token=token, actor=request.user)
