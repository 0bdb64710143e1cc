from django.urls import path

from accounts.api.change_password import ChangePasswordView
from accounts.api.login import LoginView, LogoutView
from accounts.api.profile import ProfileView
from accounts.api.register import RegisterView
from accounts.api.register_email import RegisterEmailView{% if cookiecutter.register_email_verification %}, VerifyEmailView{% endif %}
{%- if cookiecutter.reset_password %}
from accounts.api.reset_password import ResetPasswordView, SendResetPasswordLinkView
{%- endif %}
{%- if cookiecutter.register_verification %}
from accounts.api.verify_registration import (
    ResendVerificationView,
    VerifyRegistrationView,
)
{%- endif %}

app_name = "accounts"

urlpatterns = [
    path("register/", RegisterView.as_view(), name="register"),
{%- if cookiecutter.register_verification %}
    path(
        "verify-registration/",
        VerifyRegistrationView.as_view(),
        name="verify-registration",
    ),
    path(
        "resend-verification/",
        ResendVerificationView.as_view(),
        name="resend-verification",
    ),
{%- endif %}
{%- if cookiecutter.reset_password %}
    path(
        "send-reset-password-link/",
        SendResetPasswordLinkView.as_view(),
        name="send-reset-password-link",
    ),
    path("reset-password/", ResetPasswordView.as_view(), name="reset-password"),
{%- endif %}
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("profile/", ProfileView.as_view(), name="profile"),
    path("change-password/", ChangePasswordView.as_view(), name="change-password"),
    path("register-email/", RegisterEmailView.as_view(), name="register-email"),
{%- if cookiecutter.register_email_verification %}
    path("verify-email/", VerifyEmailView.as_view(), name="verify-email"),
{%- endif %}
]
