"""Serializer fields that accept only what a person could have typed."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import normalize_email

# Django hashes at most this much of a password; anything longer is refused
# before a validator or a hasher spends time on it.
PASSWORD_MAX_LENGTH = 4096


class StrictCharField(serializers.CharField):
    """A CharField that refuses numbers and booleans instead of converting them."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class PasswordField(StrictCharField):
    """A password, used exactly as typed: never trimmed, never echoed."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", PASSWORD_MAX_LENGTH)
        kwargs.setdefault("style", {"input_type": "password"})
        super().__init__(write_only=True, trim_whitespace=False, **kwargs)


class EmailField(serializers.EmailField):
    """An email address, refused unless it is a string, stored normalised."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 254)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return normalize_email(super().to_internal_value(data))


class LoginField(StrictCharField):
    """What a user types to name their account: {% if cookiecutter.username_type == "email" %}their email{% else %}a username or an email{% endif %}."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 254)
        super().__init__(**kwargs)


class UserIdField(StrictCharField):
    """The user id from a link: digits only, posted back as the link had it."""

    default_error_messages = {"invalid": _("A valid user id is required.")}

    def __init__(self, **kwargs):
        super().__init__(
            max_length=20,
            validators=[
                RegexValidator(r"^[0-9]+\Z", _("A valid user id is required."))
            ],
            **kwargs,
        )


class TimestampField(serializers.IntegerField):
    """The time a link was made, in seconds since the epoch."""

    def __init__(self, **kwargs):
        super().__init__(min_value=0, max_value=2**40, **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, (int, str)):
            self.fail("invalid")
        return super().to_internal_value(data)


class SignatureField(StrictCharField):
    """A link's signature: URL-safe base64, as the signing framework makes it."""

    def __init__(self, **kwargs):
        super().__init__(
            max_length=100,
            validators=[RegexValidator(r"^[A-Za-z0-9_-]+\Z", _("Invalid signature"))],
            **kwargs,
        )


class StrictModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose text fields refuse anything but strings."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.EmailField: EmailField,
    }
