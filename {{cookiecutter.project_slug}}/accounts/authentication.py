from django.utils import timezone
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication as KnoxTokenAuthentication


class TokenAuthentication(KnoxTokenAuthentication):
    """Knox token authentication that costs one query per request.

    Knox also sweeps the user's other expired tokens on every request; here
    they are swept at login instead (see accounts.api.login), so reading the
    presenting token and its user is the only query.
    """

    def _cleanup_token(self, auth_token):
        """Return True, deleting the token, when it has expired."""
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            auth_token.delete()
            return True
        return False


class TokenAuthenticationScheme(KnoxTokenScheme):
    """Describe these tokens in the API schema as knox's own."""

    target_class = TokenAuthentication
