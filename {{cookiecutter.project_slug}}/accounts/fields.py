"""Serializer fields that accept only what a person could have typed."""

import copy
import re

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import normalize_email

# Far beyond any passphrase; anything longer is refused before a validator or
# a hasher spends time on it.
PASSWORD_MAX_LENGTH = 4096

LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


class TypedTextMixin:
    """Refuse anything but a string, and characters no keyboard produces.

    Numbers and booleans are refused instead of converted. NUL and lone
    surrogate characters are refused before any validator runs, since some
    validators query the database, which cannot store either.
    """

    default_error_messages = {
        "null_characters": _("Null characters are not allowed."),
        "surrogate_characters": _("Lone surrogate characters are not allowed."),
    }

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        if "\x00" in data:
            self.fail("null_characters")
        if LONE_SURROGATE.search(data):
            self.fail("surrogate_characters")
        return super().to_internal_value(data)


class StrictCharField(TypedTextMixin, serializers.CharField):
    """A CharField that takes only text a person could have typed."""


class PasswordField(StrictCharField):
    """A password, used exactly as typed: never trimmed, never echoed."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", PASSWORD_MAX_LENGTH)
        kwargs.setdefault("style", {"input_type": "password"})
        super().__init__(write_only=True, trim_whitespace=False, **kwargs)


class EmailField(TypedTextMixin, serializers.EmailField):
    """An email address, refused unless it is typed text, stored normalised."""

    default_error_messages = {
        "non_ascii_local_part": _(
            "Use an address whose part before the @ has only ASCII characters."
        ),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 254)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        email = normalize_email(super().to_internal_value(data))
        # Django's mail cannot address such a mailbox, so no link could reach it.
        if not email.rpartition("@")[0].isascii():
            self.fail("non_ascii_local_part")
        return email


class LoginField(StrictCharField):
    """What a user types to name their account: {% if cookiecutter.username_type == "email" %}their email{% else %}a username or an email{% endif %}."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 254)
        super().__init__(**kwargs)


class UserIdField(StrictCharField):
    """The user id from a link: digits, as text or as a JSON number."""

    default_error_messages = {"invalid": _("A valid user id is required.")}

    def to_internal_value(self, data):
        # A frontend may have parsed the id from the link's query as a number.
        if isinstance(data, int) and not isinstance(data, bool) and data >= 0:
            data = str(data)
        return super().to_internal_value(data)

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
    """A ModelSerializer whose text fields refuse anything but strings.

    Its fields are built from the model once per class rather than on every
    request, and each serializer gets fresh copies of them, as the REST
    framework does for declared fields.
    """

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.EmailField: EmailField,
    }

    def get_fields(self):
        cls = type(self)
        if "_built_fields" not in cls.__dict__:
            cls._built_fields = super().get_fields()
        return copy.deepcopy(cls._built_fields)
