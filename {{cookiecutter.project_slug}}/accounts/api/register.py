import logging

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api import check_new_password, validate_or_raise
from accounts.api.profile import ProfileSerializer
{%- if cookiecutter.register_verification %}
from accounts.api.verify_registration import send_verification_link
from accounts.emails import enqueue_on_commit
{%- endif %}
from accounts.fields import PasswordField, StrictModelSerializer

logger = logging.getLogger(__name__)

EMAIL_TAKEN = _("This email is already registered.")
{%- if cookiecutter.username_type == "username" %}
USERNAME_TAKEN = _("A user with that username already exists.")
{%- endif %}


class RegisterSerializer(StrictModelSerializer):
    password = PasswordField()
    password_confirm = PasswordField()

    class Meta:
        model = get_user_model()
        fields = [
{%- if cookiecutter.username_type == "username" %}
            "username",
{%- endif %}
            "email",
            "first_name",
            "last_name",
            "password",
            "password_confirm",
        ]
        extra_kwargs = {"email": {"required": True, "allow_blank": False}}

    def validate_email(self, email):
        if get_user_model()._default_manager.filter(email__iexact=email).exists():
            raise serializers.ValidationError(EMAIL_TAKEN)
        return email

    def validate(self, attrs):
        password = attrs.pop("password")
        password_confirm = attrs.pop("password_confirm")
        check_new_password(password, password_confirm, get_user_model()(**attrs))
        return {**attrs, "password": password}


class RegisterView(APIView):
    """Create an account{% if cookiecutter.register_verification %}, inactive until the emailed link is used{% endif %}."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_scope = "register"
    serializer_class = RegisterSerializer

    @extend_schema(responses={201: ProfileSerializer})
    def post(self, request):
        serializer = RegisterSerializer(data=request.data)
        validate_or_raise(serializer)

        user = self.create_user(serializer.validated_data)
        logger.info("User %s registered", user.pk)
{%- if cookiecutter.register_verification %}
        enqueue_on_commit(send_verification_link, user.pk)
{%- endif %}
        return Response(ProfileSerializer(user).data, status=status.HTTP_201_CREATED)

    def create_user(self, data):
        """Return the new user; a concurrent duplicate is answered as a duplicate."""
        users = get_user_model()._default_manager
{%- if cookiecutter.register_verification %}
        # The account stays inactive until the emailed link is used.
        data = {**data, "is_active": False}
{%- endif %}
        try:
            with transaction.atomic():
                return users.create_user(**data)
        except IntegrityError:
            errors = {"email": [EMAIL_TAKEN]}
{%- if cookiecutter.username_type == "username" %}
            if not users.filter(email__iexact=data["email"]).exists():
                errors = {"username": [USERNAME_TAKEN]}
{%- endif %}
            raise serializers.ValidationError(
                {"non_field_errors": [], **errors}
            ) from None
