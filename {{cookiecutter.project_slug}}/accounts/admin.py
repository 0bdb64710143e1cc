from django.contrib import admin
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User


class UserCreationForm(auth_forms.AdminUserCreationForm):
    class Meta(auth_forms.AdminUserCreationForm.Meta):
        model = User
        fields = [{% if cookiecutter.username_type == "username" %}"username", {% endif %}"email"]


class UserChangeForm(auth_forms.UserChangeForm):
    class Meta(auth_forms.UserChangeForm.Meta):
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    add_form = UserCreationForm
    form = UserChangeForm
    ordering = ["email"]
    list_display = [
{%- if cookiecutter.username_type == "username" %}
        "username",
{%- endif %}
        "email",
        "first_name",
        "last_name",
        "is_active",
{%- if cookiecutter.register_verification %}
        "verified_at",
{%- endif %}
        "is_staff",
    ]
    list_filter = ["is_active", "is_staff", "is_superuser"]
    search_fields = [{% if cookiecutter.username_type == "username" %}"username", {% endif %}"email", "first_name", "last_name"]
{%- if cookiecutter.register_verification %}
    readonly_fields = ["verified_at", "last_login", "date_joined"]
{%- else %}
    readonly_fields = ["last_login", "date_joined"]
{%- endif %}
    fieldsets = [
        (None, {"fields": [{% if cookiecutter.username_type == "username" %}"username", {% endif %}"email", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name"]}),
        (
            _("Permissions"),
            {
                "fields": [
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ]
            },
        ),
{%- if cookiecutter.register_verification %}
        (
            _("Important dates"),
            {"fields": ["verified_at", "last_login", "date_joined"]},
        ),
{%- else %}
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
{%- endif %}
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [{% if cookiecutter.username_type == "username" %}"username", {% endif %}"email", "password1", "password2"],
            },
        ),
    ]
