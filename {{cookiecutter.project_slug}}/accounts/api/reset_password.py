import logging

from django.contrib.auth import get_user_model
from django.db import transaction
from django.tasks import task
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
{%- if cookiecutter.auth != "session" %}
from knox.models import AuthToken
{%- endif %}
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api import check_new_password, validate_or_raise
from accounts.api.responses import DetailSerializer
from accounts.backends import LoginBackend
from accounts.emails import (
    enqueue_on_commit,
    send_message,
    send_password_changed_notice,
)
from accounts.exceptions import BadRequest
from accounts.fields import (
    LoginField,
    PasswordField,
    SignatureField,
    TimestampField,
    UserIdField,
)
from accounts.signing import INVALID_SIGNATURE, LinkSigner

logger = logging.getLogger(__name__)

reset_links = LinkSigner(
    salt="accounts.reset-password",
    period_setting="ACCOUNTS_RESET_PASSWORD_PERIOD",
    url_setting="ACCOUNTS_RESET_PASSWORD_URL",
)


def link_state(user):
    """Return what a reset link is bound to.

    It dies with any password change, and once the email changes, so a link
    mailed to an address the user gave up cannot take the account back.
    """
    return (user.password, user.email_changed_at)


@task
def send_reset_link(login):
    user = LoginBackend().get_user_by_login(login)
    if user is None or not user.is_active:
        return
    url = reset_links.make_url(user, link_state(user))
    # Always the stored address: never anything taken from the request.
    send_message("reset_password", user.email, {"user": user, "url": url})


class SendResetPasswordLinkSerializer(serializers.Serializer):
    login = LoginField()


class SendResetPasswordLinkView(APIView):
    """Mail a reset link to the account's stored address, if there is one.

    The answer is the same whether or not the account exists, and the lookup
    happens in the task, so neither the body nor the timing tells which.
    """

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_scope = "send_mail"
    account_throttle_scope = "send_mail_account"
    account_field = "login"
    serializer_class = SendResetPasswordLinkSerializer

    @extend_schema(responses=DetailSerializer)
    def post(self, request):
        serializer = SendResetPasswordLinkSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)

        enqueue_on_commit(send_reset_link, serializer.validated_data["login"])
        return Response({"detail": _("Reset link sent if the user exists in database")})


class ResetPasswordSerializer(serializers.Serializer):
    user_id = UserIdField()
    timestamp = TimestampField()
    signature = SignatureField()
    password = PasswordField()
    password_confirm = PasswordField(required=False)


class ResetPasswordView(APIView):
    """Set a new password from a reset link, once, and sign out everywhere."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_scope = "link"
    serializer_class = ResetPasswordSerializer

    @extend_schema(responses=DetailSerializer)
    def post(self, request):
        serializer = ResetPasswordSerializer(data=request.data)
        validate_or_raise(serializer)
        data = serializer.validated_data
        password = data.pop("password")
        password_confirm = data.pop("password_confirm", password)

        users = get_user_model()._default_manager
        user = users.filter(pk=data["user_id"]).first()
        if user is None:
            # Checked like any other link, so an unknown user id looks forged.
            raise BadRequest(INVALID_SIGNATURE)
        reset_links.check(data, link_state(user))

        try:
            check_new_password(password, password_confirm, user)
        except serializers.ValidationError as error:
            raise serializers.ValidationError(
                {"non_field_errors": [], **error.detail}
            ) from None

        old_hash = user.password
        user.set_password(password)
        with transaction.atomic():
            # Compare and set: of two uses of one link, only the first counts.
            changed = users.filter(pk=user.pk, password=old_hash).update(
                password=user.password
            )
            if not changed:
                raise BadRequest(INVALID_SIGNATURE)
{%- if cookiecutter.auth != "session" %}
            AuthToken.objects.filter(user=user).delete()
{%- endif %}
        # Every session fails its password check from now on.
        enqueue_on_commit(send_password_changed_notice, user.pk)
        logger.info("User %s reset their password", user.pk)
        return Response({"detail": _("Reset password successful")})
