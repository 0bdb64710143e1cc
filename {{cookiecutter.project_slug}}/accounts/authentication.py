from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.crypto import hash_token
from knox.models import get_token_model
from knox.settings import knox_settings
from rest_framework.exceptions import AuthenticationFailed


class TokenQuery:
    """Read a token and its user by the token's digest, with SQL built once.

    Every request that presents a token runs this query. Building its SQL
    through the ORM costs more than running it, so the SQL is compiled once per
    database from an ordinary queryset, and each row becomes model instances
    as the ORM would make them, with the fields' database converters applied.
    """

    def __init__(self):
        self._compiled = {}

    def get(self, digest):
        """Return the token with this digest, its user attached, or None."""
        model = get_token_model()
        db = router.db_for_read(model)
        if db not in self._compiled:
            self._compiled[db] = self._compile(model, db)
        sql, converters, token_part, user_part = self._compiled[db]
        connection = connections[db]
        with connection.cursor() as cursor:
            cursor.execute(sql, [digest])
            row = cursor.fetchone()
        if row is None:
            return None
        if converters:
            row = list(row)
            for position, (functions, expression) in converters.items():
                for function in functions:
                    row[position] = function(row[position], expression, connection)
        auth_token = self._instance(db, row, *token_part)
        auth_token.user = self._instance(db, row, *user_part)
        return auth_token

    @staticmethod
    def _compile(model, db):
        queryset = model.objects.select_related("user").filter(digest="")
        compiler = queryset.query.get_compiler(using=db)
        sql, params = compiler.as_sql()
        if list(params) != [""]:
            raise ImproperlyConfigured("The token query must take one parameter.")
        columns = [column for column, *_ in compiler.select]
        converters = compiler.get_converters(columns)

        def part(klass_info):
            positions = klass_info["select_fields"]
            names = [columns[i].target.attname for i in positions]
            return klass_info["model"], names, slice(positions[0], positions[-1] + 1)

        (user_info,) = compiler.klass_info["related_klass_infos"]
        return sql, converters, part(compiler.klass_info), part(user_info)

    @staticmethod
    def _instance(db, row, model, names, columns):
        return model.from_db(db, names, row[columns])


class TokenAuthentication(KnoxTokenAuthentication):
    """Knox token authentication that costs one query per request.

    Knox reads every token sharing the presented one's eight-character prefix
    and sweeps the user's other expired tokens on every request. Here the
    token is found by its digest, the table's primary key, in one query that
    also reads the user; expired tokens are swept at login instead (see
    accounts.api.login).
    """

    query = TokenQuery()

    def authenticate_credentials(self, token):
        try:
            digest = hash_token(token.decode())
        except UnicodeDecodeError:
            raise AuthenticationFailed(_("Invalid token.")) from None
        auth_token = self.query.get(digest)
        if auth_token is None or self._cleanup_token(auth_token):
            raise AuthenticationFailed(_("Invalid token."))
        if knox_settings.AUTO_REFRESH and auth_token.expiry:
            self.renew_token(auth_token)
        return self.validate_user(auth_token)

    def _cleanup_token(self, auth_token):
        """Return True, deleting the token, when it has expired."""
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            auth_token.delete()
            return True
        return False


class TokenAuthenticationScheme(KnoxTokenScheme):
    """Describe these tokens in the API schema as knox's own."""

    target_class = TokenAuthentication
