import logging

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
{%- if cookiecutter.register_email_verification %}
from django.tasks import task
{%- endif %}
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
{%- if cookiecutter.register_email_verification %}
from rest_framework.permissions import AllowAny
{%- endif %}
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.responses import DetailSerializer
from accounts.emails import (
    enqueue_on_commit,
    send_email_changed_notice,
{%- if cookiecutter.register_email_verification %}
    send_message,
{%- endif %}
)
from accounts.exceptions import BadRequest
from accounts.fields import (
    EmailField,
    PasswordField,
{%- if cookiecutter.register_email_verification %}
    SignatureField,
    TimestampField,
    UserIdField,
{%- endif %}
)
{%- if cookiecutter.register_email_verification %}
from accounts.signing import INVALID_SIGNATURE, LinkSigner
{%- endif %}

logger = logging.getLogger(__name__)

EMAIL_TAKEN = _("This email is already registered.")
{%- if cookiecutter.register_email_verification %}

email_links = LinkSigner(
    salt="accounts.verify-email",
    period_setting="ACCOUNTS_VERIFY_EMAIL_PERIOD",
    url_setting="ACCOUNTS_VERIFY_EMAIL_URL",
)


def link_state(user):
    """Return what an email link is bound to.

    It dies once the email changes, even if it later changes back, and with
    any password change, so recovering an account ends pending changes.
    """
    return (user.email, user.email_changed_at, user.password)


@task
def send_email_change_link(user_id, email):
    """Mail the link to the new address, or tell its owner it is in use."""
    users = get_user_model()._default_manager
    user = users.get(pk=user_id)
    owner = users.filter(email__iexact=email).first()
    if owner == user:
        return
    if owner is not None:
        send_message("email_in_use", owner.email, {"user": owner})
        return
    url = email_links.make_url(user, link_state(user), email=email)
    send_message("verify_email", email, {"user": user, "url": url, "email": email})
{%- endif %}


def change_email(user, email):
    """Set the user's email unless it changed meanwhile; return False if so."""
    old_email = user.email
    try:
        with transaction.atomic():
            changed = (
                get_user_model()
                ._default_manager.filter(pk=user.pk, email=old_email)
                .update(email=email, email_changed_at=timezone.now())
            )
    except IntegrityError:
        raise BadRequest(EMAIL_TAKEN) from None
    if changed:
        user.email = email
        enqueue_on_commit(send_email_changed_notice, user.pk, old_email)
        logger.info("User %s changed their email", user.pk)
    return bool(changed)


class RegisterEmailSerializer(serializers.Serializer):
    email = EmailField()
    password = PasswordField()

    def validate_password(self, password):
        if not self.context["user"].check_password(password):
            raise serializers.ValidationError(_("Password is not correct"))
        return password


class RegisterEmailView(APIView):
{%- if cookiecutter.register_email_verification %}
    """Mail a link that changes the email to the new address when used.

    If the address belongs to someone, its owner is told instead; the answer
    is the same either way, so it does not reveal which addresses are taken.
    """
{%- else %}
    """Change the signed-in user's email at once; the old address is told."""
{%- endif %}

    throttle_scope = "send_mail"
    account_throttle_scope = "send_mail_account"
    account_field = "email"
    serializer_class = RegisterEmailSerializer

    @extend_schema(responses=DetailSerializer)
    def post(self, request):
        serializer = RegisterEmailSerializer(
            data=request.data, context={"user": request.user}
        )
        serializer.is_valid(raise_exception=True)
        email = serializer.validated_data["email"]
{%- if cookiecutter.register_email_verification %}

        enqueue_on_commit(send_email_change_link, request.user.pk, email)
{%- else %}

        if email != request.user.email:
            change_email(request.user, email)
{%- endif %}
        return Response({"detail": _("Register email link email sent")})
{%- if cookiecutter.register_email_verification %}


class VerifyEmailSerializer(serializers.Serializer):
    user_id = UserIdField()
    email = EmailField()
    timestamp = TimestampField()
    signature = SignatureField()


class VerifyEmailView(APIView):
    """Change the email to the address an email link was sent to, once."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_scope = "link"
    serializer_class = VerifyEmailSerializer

    @extend_schema(responses=DetailSerializer)
    def post(self, request):
        serializer = VerifyEmailSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        params = serializer.validated_data

        user = get_user_model()._default_manager.filter(pk=params["user_id"]).first()
        if user is None:
            raise BadRequest(INVALID_SIGNATURE)
        email_links.check(params, link_state(user))

        if not change_email(user, params["email"]):
            raise BadRequest(INVALID_SIGNATURE)
        return Response({"detail": _("Email verified successfully")})
{%- endif %}
