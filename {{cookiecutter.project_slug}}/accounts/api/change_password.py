import logging

{% if cookiecutter.auth != "token" -%}
from django.contrib.auth import update_session_auth_hash
{% endif -%}
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
{%- if cookiecutter.auth != "session" %}
from knox.models import AuthToken
{%- endif %}
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api import check_new_password
from accounts.api.responses import DetailSerializer
from accounts.emails import enqueue_on_commit, send_password_changed_notice
from accounts.fields import PasswordField

logger = logging.getLogger(__name__)


class ChangePasswordSerializer(serializers.Serializer):
    old_password = PasswordField()
    password = PasswordField()
    password_confirm = PasswordField()

    def validate(self, attrs):
        # Checked only once every field is valid, so that a request refused
        # for its shape (an over-long password, say) costs no hashing.
        if not self.context["user"].check_password(attrs["old_password"]):
            raise serializers.ValidationError(
                {"old_password": [_("Old password is not correct")]}
            )
        check_new_password(
            attrs["password"], attrs["password_confirm"], self.context["user"]
        )
        return attrs


class ChangePasswordView(APIView):
    """Change the password; the caller stays signed in, everyone else is not."""

    throttle_scope = "login"
    serializer_class = ChangePasswordSerializer

    @extend_schema(responses=DetailSerializer)
    def post(self, request):
        user = request.user
        serializer = ChangePasswordSerializer(data=request.data, context={"user": user})
        serializer.is_valid(raise_exception=True)

        user.set_password(serializer.validated_data["password"])
        user.save(update_fields=["password"])
{%- if cookiecutter.auth == "session" %}
        # Other sessions fail their password check from now on; this one is
        # signed again with the new password so the caller stays signed in.
        update_session_auth_hash(request, user)
{%- elif cookiecutter.auth == "session+token" %}
        if not isinstance(request.auth, AuthToken):
            # Other sessions fail their password check from now on; this one
            # is signed again with the new password so the caller stays in.
            update_session_auth_hash(request, user)
{%- endif %}
{%- if cookiecutter.auth != "session" %}
        other_tokens = AuthToken.objects.filter(user=user)
        if isinstance(request.auth, AuthToken):
            other_tokens = other_tokens.exclude(digest=request.auth.digest)
        other_tokens.delete()
{%- endif %}
        enqueue_on_commit(send_password_changed_notice, user.pk)
        logger.info("User %s changed their password", user.pk)
        return Response({"detail": _("Password changed successfully")})
