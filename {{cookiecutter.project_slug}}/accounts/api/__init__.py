from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError


def validate_or_raise(serializer):
    """Validate, raising a 400 whose body always lists non_field_errors.

    django-rest-registration answers register and reset-password errors in
    this shape, and frontends written for it read the key unconditionally.
    """
    if not serializer.is_valid():
        raise ValidationError({"non_field_errors": [], **serializer.errors})


def check_new_password(password, password_confirm, user):
    """Raise a field error unless the confirmation matches and the validators pass."""
    if password != password_confirm:
        raise ValidationError({"password_confirm": [_("Passwords don't match")]})
    try:
        password_validation.validate_password(password, user=user)
    except DjangoValidationError as error:
        raise ValidationError({"password": error.messages}) from None
