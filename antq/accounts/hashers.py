"""How officials' passwords are stored.

Argon2id with the parameters OWASP's Password Storage Cheat Sheet gives as its first
minimum (19 MiB of memory, 2 passes, 1 lane), the same work the tip line spends on a
receipt. Django's own defaults (100 MiB, 2 passes, 8 lanes) cost about 270 ms of both
cores of a 2-core server for every login; a Monday morning of 200 officials logging in
then slows every page for everyone (benchmarks/load). These parameters cost about 30 ms
of one core and still make each guess of an offline attacker cost 19 MiB of memory.

The algorithm name stays ``argon2``: a password stored with other parameters (Django's,
or stronger ones an operator sets later) is still checked, and re-hashed with these at
the next successful login (``must_update``).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class OfficialArgon2Hasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
