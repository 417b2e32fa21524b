"""Demo users for `make run`: `python -m dashboard.demo`.

Creates, once, an analyst, the two school boards with the most schools in the published sample,
and an OOGO partner, each with a generated password that is printed once and written to
[paths] demo_logins (owner-only, marked demo-only). Run again, it only says where that file is.
"""

from __future__ import annotations

import os
import sys

import duckdb

from dashboard.users import HASHER, User, UsersFileError, generate_password, load_users, save_users
from privacy.files import owner_only
from settings import Settings, load_settings

WARNING = ("# ALLEEN VOOR DE DEMO met voorbeelddata. Nooit voor echte gegevens gebruiken;\n"
           "# verwijder de demo-gebruikers met `python -m dashboard.users remove <naam>`.\n")


def _boards(settings: Settings) -> list[tuple[str, str]]:
    """(number, name) of the two besturen with the most schools in the published run."""
    database = settings.paths.published / "current" / "monitor.duckdb"
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(
            "SELECT bevoegd_gezag, any_value(bevoegd_gezag_naam) FROM schools "
            "GROUP BY bevoegd_gezag ORDER BY count(*) DESC, bevoegd_gezag LIMIT 2").fetchall()


def demo_users(settings: Settings) -> list[User]:
    """The four demo accounts (without passwords yet)."""
    (first, first_name), (second, second_name) = _boards(settings)
    return [
        User("analist", "Analist (demo)", "analist", "Gemeente", "", demo=True),
        User("bestuur1", f"{first_name} (demo)", f"bestuur:{first}", first_name, "", demo=True),
        User("bestuur2", f"{second_name} (demo)", f"bestuur:{second}", second_name, "",
             demo=True),
        User("oogo", "OOGO-partner (demo)", "oogo", "Samenwerkingsverband", "", demo=True),
    ]


def main(settings: Settings | None = None) -> int:
    settings = settings or load_settings()
    users_path, out = settings.paths.users, settings.paths.demo_logins
    try:
        users = load_users(users_path)
    except UsersFileError as error:
        print(error, file=sys.stderr)
        return 1
    if any(user.demo for user in users.values()):
        print(f"Demo-gebruikers bestaan al; hun inloggegevens staan in {out}.")
        return 0
    lines = [WARNING]
    for user in demo_users(settings):
        password = generate_password()
        users[user.username] = User(user.username, user.display_name, user.role,
                                    user.organisation, HASHER.hash(password), demo=True)
        lines.append(f"{user.username}\t{password}\t{user.role}\t{user.display_name}\n")
    save_users(users_path, users)
    out.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write("".join(lines))
    print("Demo-gebruikers aangemaakt (ALLEEN voor de voorbeelddata). Wachtwoorden worden "
          f"maar één keer getoond en staan ook in {out} (alleen leesbaar voor u):")
    print("".join(line for line in lines[1:]), end="")
    return 0


if __name__ == "__main__":
    owner_only()  # all this command writes: readable by its owner only
    raise SystemExit(main())
