"""The users file ([paths] users, TOML) and its command line.

    python -m dashboard.users add NAAM --rol bestuur:41676 --weergavenaam "..." --organisatie "..."
    python -m dashboard.users change NAAM [--rol ...] [--weergavenaam ...] [--organisatie ...]
    python -m dashboard.users password NAAM [--genereer]
    python -m dashboard.users remove NAAM
    python -m dashboard.users list

A password is typed twice (getpass, never echoed, never an argument, so never in the shell
history) or generated and printed once. Only Argon2id hashes at least as strong as argon2-cffi's
RFC 9106 low-memory profile are accepted: a file with a plain or weaker hash is refused with a
message naming the user.
"""

from __future__ import annotations

import argparse
import functools
import getpass
import json
import os
import re
import secrets
import sys
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from argon2 import PasswordHasher, Type, extract_parameters
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.profiles import RFC_9106_LOW_MEMORY

from privacy.files import owner_only
from privacy.scope import Scope
from settings import Settings, load_settings

PROFILE = RFC_9106_LOW_MEMORY  # of every new hash, and the floor for every stored one
HASHER = PasswordHasher.from_parameters(PROFILE)
NAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
HEADER = ("# Gebruikers van de Jeugd & Onderwijs Monitor. Niet met de hand wachtwoorden\n"
          "# invullen: beheer met `python -m dashboard.users` (Argon2id-hashes).\n")


class UsersFileError(ValueError):
    """The users file cannot be used; the message names the file and the user."""


@dataclass(frozen=True)
class User:
    username: str
    display_name: str
    role: str
    organisation: str
    password_hash: str
    demo: bool = False

    def scope(self, peers_by_name: bool) -> Scope:
        return Scope.parse(self.role, peers_by_name)


def check_hash(username: str, password_hash: str, source: Path) -> None:
    """Refuse anything but an Argon2id hash at least as strong as the RFC 9106 profile."""
    try:
        params = extract_parameters(password_hash)
    except (InvalidHashError, ValueError) as error:
        raise UsersFileError(f"{source}: gebruiker {username!r} heeft geen Argon2id-hash als "
                             "wachtwoord (platte tekst?). Zet een nieuw wachtwoord met "
                             f"`python -m dashboard.users password {username}`.") from error
    floor = PROFILE
    if (params.type is not Type.ID or params.memory_cost < floor.memory_cost
            or params.time_cost < floor.time_cost):
        raise UsersFileError(f"{source}: gebruiker {username!r} heeft een te zwakke "
                             f"wachtwoord-hash ({params.type.name}, m={params.memory_cost}, "
                             f"t={params.time_cost}; minimaal Argon2id m={floor.memory_cost}, "
                             f"t={floor.time_cost}). Zet een nieuw wachtwoord met "
                             f"`python -m dashboard.users password {username}`.")


def _parse_user(username: str, entry: dict, source: Path) -> User:
    if not NAME_PATTERN.fullmatch(username):
        raise UsersFileError(f"{source}: gebruikersnaam {username!r} mag alleen kleine letters, "
                             "cijfers, punt, streepje en liggend streepje bevatten.")
    missing = [k for k in ("naam", "rol", "organisatie", "wachtwoord") if not entry.get(k)]
    if missing:
        raise UsersFileError(f"{source}: gebruiker {username!r} mist {', '.join(missing)}.")
    try:
        Scope.parse(entry["rol"])
    except ValueError as error:
        raise UsersFileError(f"{source}: gebruiker {username!r}, rol {entry['rol']!r}: "
                             f"{error}") from error
    check_hash(username, entry["wachtwoord"], source)
    return User(username, entry["naam"], entry["rol"], entry["organisatie"],
                entry["wachtwoord"], bool(entry.get("demo", False)))


def load_users(path: Path) -> dict[str, User]:
    """All users by name; an empty dict when the file does not exist yet."""
    if not path.is_file():
        return {}
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise UsersFileError(f"{path}: geen geldige TOML ({error}).") from error
    return {name: _parse_user(name, entry, path)
            for name, entry in raw.get("gebruikers", {}).items()}


def save_users(path: Path, users: dict[str, User]) -> None:
    """Write the file atomically, readable by the owner only."""
    lines = [HEADER]
    for user in sorted(users.values(), key=lambda u: u.username):
        lines.append(f"\n[gebruikers.{user.username}]\n")
        for key, value in (("naam", user.display_name), ("rol", user.role),
                           ("organisatie", user.organisation),
                           ("wachtwoord", user.password_hash)):
            lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}\n")
        if user.demo:
            lines.append("demo = true\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write("".join(lines))
    os.replace(temporary, path)


@functools.cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    return hasher.hash(secrets.token_urlsafe(16))


def verify(user: User | None, password: str) -> bool:
    """True when `password` is the user's; an unknown user costs the same time."""
    try:
        matches = HASHER.verify(user.password_hash if user else _dummy_hash(HASHER), password)
    except VerificationError:
        return False
    return matches and user is not None



def generate_password() -> str:
    return secrets.token_urlsafe(12)


def _ask_password(generate: bool) -> str:
    if generate:
        password = generate_password()
        print(f"Gegenereerd wachtwoord (wordt maar één keer getoond): {password}")
        return password
    first = getpass.getpass("Nieuw wachtwoord: ")
    if len(first) < 12:
        raise SystemExit("Een wachtwoord heeft minstens 12 tekens.")
    if getpass.getpass("Nog een keer: ") != first:
        raise SystemExit("De wachtwoorden verschillen; er is niets gewijzigd.")
    return first


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashboard.users",
                                     description="Gebruikers van de monitor beheren.")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (("add", "gebruiker toevoegen"), ("change", "gegevens wijzigen")):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("username")
        command.add_argument("--rol", required=name == "add",
                             help="analist, oogo of bestuur:<nummer bevoegd gezag>")
        command.add_argument("--weergavenaam", required=name == "add")
        command.add_argument("--organisatie", required=name == "add")
        if name == "add":
            command.add_argument("--genereer", action="store_true",
                                 help="wachtwoord genereren en één keer tonen")
    password = commands.add_parser("password", help="wachtwoord zetten")
    password.add_argument("username")
    password.add_argument("--genereer", action="store_true")
    commands.add_parser("remove", help="gebruiker verwijderen").add_argument("username")
    commands.add_parser("list", help="gebruikers tonen (zonder hashes)")
    return parser


def _changed(args: argparse.Namespace, users: dict[str, User], path: Path) -> User | None:
    """The new version of the user the command names (None: remove it)."""
    exists = args.username in users
    if (args.command == "add") == exists:
        raise SystemExit(f"{path}: gebruiker {args.username!r} "
                         f"{'bestaat al' if exists else 'bestaat niet'}.")
    if args.command == "remove":
        return None
    if args.command == "add":
        user = User(args.username, args.weergavenaam, args.rol, args.organisatie,
                    HASHER.hash(_ask_password(args.genereer)))
    elif args.command == "password":
        user = replace(users[args.username],
                       password_hash=HASHER.hash(_ask_password(args.genereer)))
    else:
        old = users[args.username]
        user = replace(old, role=args.rol or old.role,
                       display_name=args.weergavenaam or old.display_name,
                       organisation=args.organisatie or old.organisation)
    _parse_user(user.username, {"naam": user.display_name, "rol": user.role,
                                "organisatie": user.organisation,
                                "wachtwoord": user.password_hash}, path)
    return user


def main(argv: list[str] | None = None, settings: Settings | None = None) -> int:
    args = _parser().parse_args(argv)
    path = (settings or load_settings()).paths.users
    try:
        users = load_users(path)
        if args.command == "list":
            for user in users.values():
                print(f"{user.username}\t{user.role}\t{user.display_name}\t{user.organisation}"
                      + ("\t(demo)" if user.demo else ""))
            return 0
        user = _changed(args, users, path)
    except UsersFileError as error:
        print(error, file=sys.stderr)
        return 1
    if user is None:
        del users[args.username]
    else:
        users[user.username] = user
    save_users(path, users)
    print(f"{path}: gebruiker {args.username!r} "
          f"{'verwijderd' if user is None else 'opgeslagen'}.")
    return 0


if __name__ == "__main__":
    owner_only()  # all this command writes: readable by its owner only
    raise SystemExit(main())
