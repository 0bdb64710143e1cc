import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from accounts.models import normalize_email

logger = logging.getLogger(__name__)


class LoginBackend(ModelBackend):
    """Authenticate by {% if cookiecutter.username_type == "email" %}email address{% else %}username, or by email address when the login has an "@"{% endif %}.

    Emails are compared case-insensitively. Every failure (unknown login,
    wrong password, inactive account) costs one password hash, so the time
    taken does not tell an attacker which accounts exist.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        login = kwargs.get("login", username)
        if login is None or password is None:
            return None

        user = self.get_user_by_login(login)
        if user is None:
            # Hash the password anyway, as a failed check of a real user would.
            get_user_model()().set_password(password)
            logger.info("Login failed: no account has that login")
            return None

        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        logger.info("Login failed for user %s", user.pk)
        return None

    def get_user_by_login(self, login):
        """Return the user this login names, or None."""
        users = get_user_model()._default_manager
        # Compatibility forms (fullwidth letters, say) fold as they did at sign-up.
        login = normalize_email(login)
{%- if cookiecutter.username_type == "username" %}
        if "@" not in login:
            return users.filter(username=login).first()
{%- endif %}
        return users.filter(email__iexact=login).first()
