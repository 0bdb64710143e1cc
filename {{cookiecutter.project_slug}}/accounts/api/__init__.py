from rest_framework.exceptions import ValidationError


def validate_or_raise(serializer):
    """Validate, raising a 400 whose body always lists non_field_errors.

    django-rest-registration answers register and reset-password errors in
    this shape, and frontends written for it read the key unconditionally.
    """
    if not serializer.is_valid():
        raise ValidationError({"non_field_errors": [], **serializer.errors})
