import logging

{% if cookiecutter.auth != "token" -%}
from django.contrib.auth import authenticate, login, logout
{%- else -%}
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
{%- endif %}
{%- if cookiecutter.auth != "session" %}
from django.utils import timezone
{%- endif %}
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
{%- if cookiecutter.auth != "session" %}
from knox.models import AuthToken
{%- endif %}
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.responses import DetailSerializer{% if cookiecutter.auth != "session" %}, LoginResponseSerializer{% endif %}
from accounts.exceptions import BadRequest
from accounts.fields import LoginField, PasswordField

logger = logging.getLogger(__name__)


class LoginSerializer(serializers.Serializer):
    login = LoginField()
    password = PasswordField()


class LoginView(APIView):
    """Sign in with {% if cookiecutter.username_type == "email" %}an email{% else %}a username or an email{% endif %} and a password.

    Every failure (unknown login, wrong password, inactive or unverified
    account) gets the same answer after the same hashing work.
    """

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_scope = "login"
    account_throttle_scope = "login_account"
    account_field = "login"
    serializer_class = LoginSerializer

    @extend_schema(responses={% if cookiecutter.auth != "session" %}LoginResponseSerializer{% else %}DetailSerializer{% endif %})
    def post(self, request):
        serializer = LoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)

        user = authenticate(request, **serializer.validated_data)
        if user is None:
            raise BadRequest(_("Login or password invalid."))

        body = {"detail": _("Login successful")}
{%- if cookiecutter.auth != "token" %}
        # A new session key at every login, so a key planted or seen before
        # is useless; Django's login() keeps the key when the session already
        # belongs to this user.
        request.session.cycle_key()
        login(request, user)
{%- else %}
        user_logged_in.send(sender=type(user), request=request, user=user)
{%- endif %}
{%- if cookiecutter.auth != "session" %}
        AuthToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()
        _token, body["token"] = AuthToken.objects.create(user)
{%- endif %}
        logger.info("User %s logged in", user.pk)
        return Response(body)
{%- if cookiecutter.auth != "session" %}


class LogoutSerializer(serializers.Serializer):
    revoke_token = serializers.BooleanField(default=False)
{%- endif %}


class LogoutView(APIView):
    """Sign out: {% if cookiecutter.auth != "session" %}revoke the token presented{% if cookiecutter.auth != "token" %} and {% endif %}{% endif %}{% if cookiecutter.auth != "token" %}end the session{% endif %}."""

{%- if cookiecutter.auth != "session" %}

    serializer_class = LogoutSerializer
{%- endif %}

    @extend_schema({% if cookiecutter.auth == "session" %}request=None, {% endif %}responses=DetailSerializer)
    def post(self, request):
        user = request.user
{%- if cookiecutter.auth != "session" %}
        serializer = LogoutSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
{%- endif %}
{%- if cookiecutter.auth != "session" %}
        if isinstance(request.auth, AuthToken):
            request.auth.delete()
        if serializer.validated_data["revoke_token"]:
            # Sign out everywhere: every token of this user stops working.
            AuthToken.objects.filter(user=user).delete()
{%- endif %}
{%- if cookiecutter.auth != "token" %}
        logout(request)
{%- endif %}
        logger.info("User %s logged out", user.pk)
        return Response({"detail": _("Logout successful")})
