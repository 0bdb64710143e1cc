import logging

from django.contrib.auth import get_user_model
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.responses import DetailSerializer
from accounts.backends import LoginBackend
from accounts.emails import enqueue_on_commit, send_message
from accounts.exceptions import BadRequest
from accounts.fields import LoginField, SignatureField, TimestampField, UserIdField
from accounts.signing import INVALID_SIGNATURE, LinkSigner

logger = logging.getLogger(__name__)

registration_links = LinkSigner(
    salt="accounts.verify-registration",
    period_setting="ACCOUNTS_VERIFY_REGISTRATION_PERIOD",
    url_setting="ACCOUNTS_VERIFY_REGISTRATION_URL",
)


@task
def send_verification_link(user_id):
    user = get_user_model()._default_manager.get(pk=user_id)
    if user.verified_at is not None:
        return
    url = registration_links.make_url(user)
    send_message("verify_registration", user.email, {"user": user, "url": url})


@task
def resend_verification_link(login):
    user = LoginBackend().get_user_by_login(login)
    if user is None or user.verified_at is not None or user.is_active:
        return
    send_verification_link.call(user.pk)


class VerifyRegistrationSerializer(serializers.Serializer):
    user_id = UserIdField()
    timestamp = TimestampField()
    signature = SignatureField()


class VerifyRegistrationView(APIView):
    """Activate the account named by a registration link, once."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_scope = "link"
    serializer_class = VerifyRegistrationSerializer

    @extend_schema(responses=DetailSerializer)
    def post(self, request):
        serializer = VerifyRegistrationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        params = serializer.validated_data

        registration_links.check(params)

        users = get_user_model()._default_manager
        user = users.filter(pk=params["user_id"]).first()
        if user is None:
            raise BadRequest(_("User not found"))

        # Compare and set: a link works once, even when posted twice at once,
        # and never reactivates an account an administrator deactivated.
        verified = users.filter(pk=user.pk, verified_at__isnull=True).update(
            is_active=True, verified_at=timezone.now()
        )
        if not verified:
            logger.info("Registration link rejected for user %s: already used", user.pk)
            raise BadRequest(INVALID_SIGNATURE)
        logger.info("User %s verified", user.pk)
        return Response({"detail": _("User verified successfully")})


class ResendVerificationSerializer(serializers.Serializer):
    login = LoginField()


class ResendVerificationView(APIView):
    """Mail a new registration link if the account still needs one.

    The answer is the same whether or not the account exists or needs a link,
    and the lookup happens in the task, so neither the body nor the timing
    tells which.
    """

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_scope = "send_mail"
    account_throttle_scope = "send_mail_account"
    account_field = "login"
    serializer_class = ResendVerificationSerializer

    @extend_schema(responses=DetailSerializer)
    def post(self, request):
        serializer = ResendVerificationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)

        enqueue_on_commit(resend_verification_link, serializer.validated_data["login"])
        return Response(
            {"detail": _("Verification link sent if the account needs one")}
        )
