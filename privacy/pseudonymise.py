"""Partner-side pseudonymisation: replace the `bsn` column by a keyed HMAC-SHA256 pseudonym.

Every partner runs this on its own extract with the same key, so the pseudonyms link across
files while no BSN ever leaves the partner. The key is read from a file or an environment
variable and is never printed, logged or written. Rows with an invalid or unknown BSN keep an
empty `pseudoniem` (not linkable) and are reported by row number only, never by value.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import hmac
import os
import re
import secrets
import shutil
import sys
from collections import Counter
from collections.abc import Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from privacy.bsn import UNKNOWN_BSNS, is_valid_bsn, normalise_bsn
from privacy.delivery import read_dialect
from privacy.files import owner_only
from privacy.minimise import QUASI_AFTER, QUASI_BEFORE, Minimiser, unique_share

KEY_ENV = "MONITOR_PSEUDONYM_KEY"
# The one accepted form: what `--new-key` writes, 256 random bits with a prefix and a check.
# A passphrase, a keyboard row or the hash of a word is never a key, however long; only a
# key from a random generator is, and the form shows that one was made for this purpose.
KEY_PREFIX = "jom-sleutel-1"
KEY_FORM = re.compile(rf"{KEY_PREFIX}:(?P<key>[0-9a-f]{{64}}):(?P<check>[0-9a-f]{{8}})")
NEW_KEY = "python -m privacy.pseudonymise --new-key BESTAND"
_REPORT_ROWS = 20  # row numbers listed per file; the counts are always complete


class MissingKeyError(Exception):
    """No usable key: the message never contains key material."""


@dataclass
class FileReport:
    name: str
    rows: int = 0
    invalid_rows: list[int] = field(default_factory=list)
    unknown_rows: list[int] = field(default_factory=list)
    undated_rows: list[int] = field(default_factory=list)  # no age: a date that is no date
    unique: tuple[tuple[int, int], tuple[int, int]] | None = None  # (unique, rows) before, after
    copied: bool = False


def _check(key: bytes) -> str:
    """Eight hex digits that show the key is whole (a truncated or edited copy fails)."""
    return hashlib.sha256(KEY_PREFIX.encode() + key).hexdigest()[:8]


def new_key() -> str:
    """A new key in the accepted form: 32 bytes from the operating system's random source."""
    key = secrets.token_bytes(32)
    return f"{KEY_PREFIX}:{key.hex()}:{_check(key)}"


def parse_key(text: str) -> bytes:
    """The 32 key bytes of `text`, which must be a key as `new_key()` writes it."""
    match = KEY_FORM.fullmatch(text.strip())
    if not match:
        raise MissingKeyError(
            "Dit is geen sleutel van de monitor: een sleutel is 256 willekeurige bits in de "
            f"vorm {KEY_PREFIX}:<64 hexadecimale tekens>:<controle>, nooit een wachtwoord, "
            f"woord of hash daarvan. Maak er een met `{NEW_KEY}`.")
    key = bytes.fromhex(match["key"])
    if _check(key) != match["check"]:
        raise MissingKeyError("De sleutel is beschadigd (de controlecijfers kloppen niet): "
                              "gebruik de sleutel zoals --new-key hem schreef.")
    return key


def read_key(key_file: str | None, environ: Mapping[str, str] = os.environ) -> bytes:
    """The secret key from `key_file`, else from $MONITOR_PSEUDONYM_KEY."""
    if key_file:
        path = Path(key_file)
        if not path.is_file():
            raise MissingKeyError(f"Sleutelbestand {path} bestaat niet.")
        if path.stat().st_mode & 0o077:
            print(f"Let op: sleutelbestand {path} is leesbaar voor anderen dan de eigenaar; "
                  f"zet `chmod 600 {path}`.", file=sys.stderr)
        key = path.read_text(encoding="utf-8").strip()
    else:
        key = environ.get(KEY_ENV, "").strip()
    if not key:
        raise MissingKeyError(
            f"Geen sleutel: geef --key-file of zet de omgevingsvariabele {KEY_ENV}. "
            "Zonder sleutel wordt niets gepseudonimiseerd."
        )
    return parse_key(key)


def write_new_key(path: Path) -> None:
    """Write a new key to `path` (0600, its folder 0700); an existing file is never replaced:
    a new key changes every pseudonym, so history would no longer link."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as error:
        raise MissingKeyError(f"Sleutelbestand {path} bestaat al; een nieuwe sleutel maakt "
                              "alle pseudoniemen anders. Kies een andere naam of verwijder "
                              "het oude bestand bewust.") from error
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(new_key() + "\n")


def key_inside(key_file: str | None, *folders: Path) -> Path | None:
    """The data folder `key_file` lies in, if any: a key must not sit beside the data."""
    if not key_file:
        return None
    key = Path(key_file).resolve()
    return next((f.resolve() for f in folders if key.is_relative_to(f.resolve())), None)


def pseudonym(key: bytes, bsn: str) -> str:
    """hex(HMAC-SHA256(key, bsn)) — the same for every partner that uses the same key."""
    return hmac.new(key, bsn.encode("ascii"), hashlib.sha256).hexdigest()


def _bsn_column(header: list[str], path: Path) -> int | None:
    lowered = [name.strip().lower() for name in header]
    if "bsn" not in lowered:
        return None
    if "pseudoniem" in lowered:
        raise ValueError(f"{path.name}: heeft zowel een kolom bsn als pseudoniem.")
    return lowered.index("bsn")


def pseudonymise_file(source: Path, target: Path, key: bytes,
                      measure: bool = False) -> FileReport:
    """Write `target` = `source` with `bsn` replaced by `pseudoniem` and the quasi-identifiers
    minimised (privacy.minimise); other files are copied. `measure`: count the rows unique on
    the quasi-identifiers before and after (memory per distinct row, so only on request).

    Each file is handled on its own, so a source delivered in parts (`personen_GM0034.csv`,
    `personen_GM0995.csv`, one per gemeente) keeps its parts and names.
    """
    report = FileReport(name=source.name)
    dialect = read_dialect(source) if source.suffix.lower() == ".csv" else None
    column = _bsn_column(list(dialect.header), source) if dialect else None
    if dialect is None or column is None:
        shutil.copyfile(source, target)
        report.copied = True
        return report

    encoding, delimiter = dialect.encoding, dialect.delimiter
    to_pseudonym = lru_cache(maxsize=1 << 20)(lambda bsn: pseudonym(key, bsn))
    with source.open(encoding=encoding, newline="") as src, target.open(
        "w", encoding=encoding, newline=""
    ) as dst:
        reader = csv.reader(src, delimiter=delimiter)
        writer = csv.writer(dst, delimiter=delimiter, lineterminator=dialect.line_end)
        header = next(reader)
        minimiser = Minimiser.for_header(header)
        names = [name.strip().lower() for name in header]
        header[column] = "pseudoniem"
        writer.writerow(minimiser.header(header) if minimiser else header)
        measured = _Uniqueness(names, minimiser.header(names)) if measure and minimiser \
            else None
        for row_number, row in enumerate(reader, start=2):  # row 1 is the header
            report.rows += 1
            bsn = normalise_bsn(row[column]) if column < len(row) else ""
            if bsn in UNKNOWN_BSNS:
                report.unknown_rows.append(row_number)
                row[column] = ""
            elif not is_valid_bsn(bsn):
                report.invalid_rows.append(row_number)
                row[column] = ""
            else:
                row[column] = to_pseudonym(bsn)
            if minimiser:
                minimised, dated = minimiser.row(row)
                if measured:
                    measured.add(row, minimised)
                if not dated:
                    report.undated_rows.append(row_number)
                row = minimised
            writer.writerow(row)
    if measured:
        report.unique = measured.shares()
    return report


class _Uniqueness:
    """Rows per combination of quasi-identifiers, before and after minimisation."""

    def __init__(self, names: list[str], minimised: list[str]) -> None:
        self.columns = ([names.index(c) if c in names else None for c in QUASI_BEFORE],
                        [minimised.index(c) if c in minimised else None for c in QUASI_AFTER])
        self.before: Counter[tuple[str, ...]] = Counter()
        self.after: Counter[tuple[str, ...]] = Counter()

    @staticmethod
    def _values(row: list[str], columns: list[int | None]) -> tuple[str, ...]:
        return tuple(row[i] if i is not None and i < len(row) else "" for i in columns)

    def add(self, row: list[str], minimised: list[str]) -> None:
        self.before[self._values(row, self.columns[0])] += 1
        self.after[self._values(minimised, self.columns[1])] += 1

    def shares(self) -> tuple[tuple[int, int], tuple[int, int]]:
        return unique_share(self.before), unique_share(self.after)


def _inputs(path: Path) -> Iterator[Path]:
    if path.is_file():
        yield path
    else:
        yield from sorted(p for p in path.iterdir() if p.is_file())


def _describe(rows: list[int]) -> str:
    shown = ", ".join(map(str, rows[:_REPORT_ROWS]))
    return shown + (f" … (+{len(rows) - _REPORT_ROWS})" if len(rows) > _REPORT_ROWS else "")


def print_report(report: FileReport) -> None:
    if report.copied:
        print(f"  {report.name}: geen bsn-kolom, ongewijzigd gekopieerd")
        return
    print(f"  {report.name}: {report.rows:,} rijen gepseudonimiseerd".replace(",", "."))
    if report.unknown_rows:
        print(f"    {len(report.unknown_rows)} rijen met onbekend BSN (niet gekoppeld), "
              f"regels: {_describe(report.unknown_rows)}")
    if report.invalid_rows:
        print(f"    {len(report.invalid_rows)} rijen met ongeldig BSN (elfproef), niet gekoppeld, "
              f"regels: {_describe(report.invalid_rows)}")
    if report.undated_rows:
        print(f"    {len(report.undated_rows)} rijen zonder leeftijd (geboortedatum of "
              f"peildatum is geen datum), regels: {_describe(report.undated_rows)}")
    if report.unique:
        (before, rows), (after, _) = report.unique
        print(f"    uniek op de quasi-identificatoren: vóór {_share(before, rows)} "
              f"({', '.join(QUASI_BEFORE)}), na {_share(after, rows)} ({', '.join(QUASI_AFTER)})")


def _share(count: int, total: int) -> str:
    percent = f"{100 * count / total:.1f}".replace(".", ",") if total else "0"
    return f"{count:_} van {total:_} rijen ({percent} %)".replace("_", ".")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m privacy.pseudonymise",
        description="Vervang de kolom bsn door een pseudoniem (HMAC-SHA256, geheime sleutel).",
    )
    parser.add_argument("--key-file", help=f"bestand met de sleutel (anders ${KEY_ENV})")
    parser.add_argument("--new-key", metavar="BESTAND",
                        help="schrijf een nieuwe willekeurige sleutel (256 bits, 0600) en stop")
    parser.add_argument("--in", dest="source", help="bronbestand of -map")
    parser.add_argument("--out", dest="target", help="uitvoermap (landing)")
    parser.add_argument("--uniek", action="store_true",
                        help="meld per personenbestand hoeveel rijen uniek zijn op de "
                             "quasi-identificatoren, vóór en na minimalisatie")
    parser.add_argument("--processen", type=int, default=os.cpu_count() or 1,
                        help="bestanden tegelijk (standaard: het aantal kernen)")
    args = parser.parse_args(argv)
    if args.new_key:
        try:
            write_new_key(Path(args.new_key))
        except MissingKeyError as error:
            print(f"Fout: {error}", file=sys.stderr)
            return 2
        print(f"Nieuwe sleutel geschreven naar {args.new_key} (alleen leesbaar voor u). Bewaar "
              "hem buiten de gegevensmappen en geef hem alleen aan de partners.")
        return 0
    if not args.source or not args.target:
        parser.error("--in en --out zijn nodig (of --new-key BESTAND)")
    try:
        key = read_key(args.key_file)
    except MissingKeyError as error:
        print(f"Fout: {error}", file=sys.stderr)
        return 2
    source, target = Path(args.source), Path(args.target)
    if not source.exists():
        print(f"Fout: {source} bestaat niet.", file=sys.stderr)
        return 2
    folder = key_inside(args.key_file, source if source.is_dir() else source.parent, target)
    if folder is not None:
        print(f"Fout: het sleutelbestand staat in de gegevensmap {folder}. Bewaar de sleutel "
              "buiten de mappen met gegevens (zie docs/security.md).", file=sys.stderr)
        return 2
    target.mkdir(parents=True, exist_ok=True)
    print(f"Pseudonimiseren: {source} -> {target}")
    paths = list(_inputs(source))
    # Files are independent: largest first over the cores, reported in name order.
    with ProcessPoolExecutor(max_workers=max(1, min(args.processen, len(paths)))) as pool:
        running = {path: pool.submit(pseudonymise_file, path, target / path.name, key,
                                     args.uniek)
                   for path in sorted(paths, key=lambda p: -p.stat().st_size)}
        for path in paths:
            try:
                print_report(running[path].result())
            except ValueError as error:
                print(f"Fout: {error}", file=sys.stderr)
                for future in running.values():
                    future.cancel()
                return 1
    return 0


if __name__ == "__main__":
    owner_only()  # all this command writes: readable by its owner only
    sys.exit(main())
