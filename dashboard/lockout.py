"""A growing wait per account after failed logins, instead of locking an address for everyone.

After `max_failures` wrong passwords for one user name (within `lockout_minutes`), each next
attempt for that name must wait: `first_delay_seconds`, then twice as long after every further
failure, at most `lockout_minutes`. An attempt during the wait is refused without checking the
password, so guessing stops; once the wait is over the right password works from any address,
and other users behind the same address (a municipal office behind one NAT) are never touched.
Unknown names get the same treatment, so the wait reveals nothing about which names exist.
The counters live in the shared limits storage (SQLite or Redis): exact for every worker.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from limits.storage import Storage

from dashboard import clock

WAIT = ("Te veel mislukte pogingen voor deze gebruikersnaam. Wacht {seconds} seconden en "
        "probeer het dan opnieuw. Andere gebruikers kunnen gewoon inloggen.")


@dataclass
class AccountDelay:
    storage: Storage
    max_failures: int
    first_delay: float
    window: float

    def wait(self, username: str) -> int:
        """Seconds this name must still wait before a password is checked (0: none)."""
        if not self.storage.get(f"wacht/{username}"):
            return 0
        return max(1, math.ceil(self.storage.get_expiry(f"wacht/{username}") - clock.now()))

    def failed(self, username: str) -> None:
        failures = self.storage.incr(f"mislukt/{username}", int(self.window))
        if failures < self.max_failures:
            return
        delay = min(self.first_delay * 2 ** (failures - self.max_failures), self.window)
        self.storage.clear(f"wacht/{username}")
        self.storage.incr(f"wacht/{username}", max(1, math.ceil(delay)))

    def succeeded(self, username: str) -> None:
        self.storage.clear(f"mislukt/{username}")
        self.storage.clear(f"wacht/{username}")
