from django.contrib.auth import get_user_model
{%- if cookiecutter.username_type == "username" %}
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
{%- endif %}
from rest_framework import generics
{%- if cookiecutter.username_type == "username" %}
from rest_framework.exceptions import ValidationError
{%- endif %}

from accounts.fields import StrictModelSerializer


class ProfileSerializer(StrictModelSerializer):
    class Meta:
        model = get_user_model()
        fields = [
            "id",
{%- if cookiecutter.username_type == "username" %}
            "username",
{%- endif %}
            "email",
            "first_name",
            "last_name",
        ]
        read_only_fields = ["id", "email"]

    def update(self, instance, validated_data):
        for name, value in validated_data.items():
            setattr(instance, name, value)
        # Write only these columns: saving every field would put back the
        # password and is_active read at the start of the request, undoing a
        # password change or a deactivation made meanwhile.
        instance.save(update_fields=list(validated_data))
        return instance


class ProfileView(generics.RetrieveUpdateAPIView):
    """Show and update the signed-in user; POST updates as PUT does."""

    serializer_class = ProfileSerializer

    def get_object(self):
        return self.request.user

    def post(self, request, *args, **kwargs):
        return self.update(request, *args, **kwargs)
{%- if cookiecutter.username_type == "username" %}

    def perform_update(self, serializer):
        # Two users can claim one free username at the same moment; the
        # database constraint decides, and the loser gets the usual error.
        try:
            with transaction.atomic():
                serializer.save()
        except IntegrityError:
            raise ValidationError(
                {"username": [_("A user with that username already exists.")]}
            ) from None
{%- endif %}
