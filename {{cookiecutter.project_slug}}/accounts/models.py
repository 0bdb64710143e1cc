import contextlib
import unicodedata

from django.contrib.auth.models import AbstractUser, BaseUserManager
{%- if cookiecutter.username_type == "username" %}
from django.contrib.auth.validators import UnicodeUsernameValidator
{%- endif %}
from django.db import models
from django.db.models.functions import Lower, Upper
{%- if cookiecutter.username_type == "username" %}
from django.utils.deconstruct import deconstructible
{%- endif %}
from django.utils.translation import gettext_lazy as _


def normalize_email(email):
    """Return the email in the form it is stored and compared in.

    Compatibility characters are folded (NFKC) so that look-alike forms of one
    address are one address; case is kept as typed, and lookups ignore it. The
    domain is stored as mail is sent to it (IDNA, as Django's mail encodes it),
    so "straße.de" is stored as the "strasse.de" that receives the mail.
    """
    email = unicodedata.normalize("NFKC", email).strip()
    local, at, domain = email.rpartition("@")
    if not at:
        return email
    # A domain that IDNA refuses stays as typed; the email validator refuses it.
    with contextlib.suppress(UnicodeError):
        domain = domain.encode("idna").decode("ascii")
    return f"{local}@{domain.lower()}"

{%- if cookiecutter.username_type == "username" %}


@deconstructible
class UsernameValidator(UnicodeUsernameValidator):
    """Letters, digits and ./+/-/_: no "@", so no username reads as an email."""

    regex = r"^[\w.+-]+\Z"
    message = _(
        "Enter a valid username. This value may contain only letters, "
        "numbers, and ./+/-/_ characters."
    )
{%- endif %}


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_email(self, email):
        """Return the user with this email, compared case-insensitively."""
        return self.get(email__iexact=normalize_email(email))

{%- if cookiecutter.username_type == "email" %}

    def create_user(self, email, password=None, **extra_fields):
        user = self.model(email=normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.update(is_staff=True, is_superuser=True, is_active=True)
        return self.create_user(email, password, **extra_fields)
{%- else %}

    def create_user(self, username, email, password=None, **extra_fields):
        user = self.model(
            username=self.model.normalize_username(username),
            email=normalize_email(email),
            **extra_fields,
        )
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, username, email, password=None, **extra_fields):
        extra_fields.update(is_staff=True, is_superuser=True, is_active=True)
        return self.create_user(username, email, password, **extra_fields)
{%- endif %}


class User(AbstractUser):
    """A person who signs in{% if cookiecutter.username_type == "email" %} with an email address{% else %} with a username or an email address{% endif %}.

{%- if cookiecutter.register_verification %}

    ``verified_at`` records when the emailed registration link was used. It is
    kept apart from ``is_active`` so that an administrator who deactivates an
    account is never overruled by an old link.
    """
{%- else %}"""{% endif %}
{%- if cookiecutter.username_type == "email" %}

    username = None
{%- else %}

    username = models.CharField(
        _("username"),
        max_length=150,
        unique=True,
        help_text=_("Required. 150 characters or fewer. Letters, digits and ./+/-/_."),
        validators=[UsernameValidator()],
        error_messages={"unique": _("A user with that username already exists.")},
    )
{%- endif %}

    email = models.EmailField(_("email address"), max_length=254)
    email_changed_at = models.DateTimeField(
        _("email changed at"), null=True, blank=True, editable=False
    )
{%- if cookiecutter.register_verification %}
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
{%- endif %}

    objects = UserManager()

{%- if cookiecutter.username_type == "email" %}

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []
{%- else %}

    REQUIRED_FIELDS = ["email"]
{%- endif %}

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="accounts_user_email_ci_unique",
                violation_error_message=_("This email is already registered."),
            ),
        ]
        # Lookups by email (email__iexact) compare UPPER() on PostgreSQL, which
        # the constraint's LOWER() index cannot serve: without this index every
        # login reads the whole table.
        indexes = [models.Index(Upper("email"), name="accounts_user_email_upper")]

    def clean(self):
        super().clean()
        self.email = normalize_email(self.email)
