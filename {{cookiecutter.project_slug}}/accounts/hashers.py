from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idPasswordHasher(Argon2PasswordHasher):
    """Argon2id with the parameters OWASP recommends: 19 MiB, 2 passes, 1 lane.

    Django's own defaults spend about five times the memory per hash, which
    limits how many logins a small server can check at once. Hashes made with
    other parameters still verify and are upgraded on the next login.
    """

    time_cost = 2
    memory_cost = 19 * 1024
    parallelism = 1
