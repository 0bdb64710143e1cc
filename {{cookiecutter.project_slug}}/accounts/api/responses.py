"""The bodies of successful answers, as the API schema documents them."""

from rest_framework import serializers


class DetailSerializer(serializers.Serializer):
    """An answer that carries one message a frontend can show."""

    detail = serializers.CharField()
{%- if cookiecutter.auth != "session" %}


class LoginResponseSerializer(DetailSerializer):
    """A successful login: the message and the new token."""

    token = serializers.CharField()
{%- endif %}
