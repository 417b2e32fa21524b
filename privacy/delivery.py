"""How a partner's CSV file is read: one rule for the pseudonymiser and the loader.

Partners deliver `;` or `,` (a tie goes to `;`, the Dutch Excel default), UTF-8 with or
without BOM, or windows-1252 (Dutch Excel and DUO exports); Excel's "Unicode-tekst" is UTF-16
with a byte-order mark and tabs between the fields. One streaming pass gives the file's
SHA-256, its encoding and whether line ends are mixed ('\r\n' and '\n', after editing in
two programs); the first line gives delimiter, line ending and header.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

CHUNK = 16 * 1024 * 1024


class DeliveryError(ValueError):
    """The file cannot be read at all; the message names the file."""


@dataclass(frozen=True)
class Dialect:
    """What a delivered file looks like."""

    encoding: str          # 'utf-8-sig', 'utf-8', 'utf-16' or 'cp1252'
    delimiter: str         # ';', ',' or a tab
    line_end: str          # '\r\n' or '\n' (of the header line)
    header: tuple[str, ...]
    sha256: str
    mixed_line_ends: bool = False  # both '\r\n' and a bare '\n' occur


def _scan(path: Path) -> tuple[str, str, bool]:
    """One pass: SHA-256, encoding, and whether '\r\n' and bare '\n' line ends are mixed."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8, bom, utf16 = True, None, False
    crlf = lf = 0
    last = b""
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            if bom is None:
                bom = chunk.startswith(codecs.BOM_UTF8)
                utf16 = chunk.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
                utf8 = not utf16
            crlf += chunk.count(b"\r\n") + (last == b"\r" and chunk[:1] == b"\n")
            lf += chunk.count(b"\n")
            last = chunk[-1:]
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
    if bom is None:
        raise DeliveryError(f"{path.name}: het bestand is leeg (0 bytes). Vraag de leverancier "
                            "het opnieuw aan te leveren.")
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    encoding = "utf-16" if utf16 else ("utf-8-sig" if bom else "utf-8") if utf8 else "cp1252"
    return digest.hexdigest(), encoding, 0 < crlf < lf


def read_dialect(path: Path) -> Dialect:
    """Encoding, delimiter, line ending and header names (stripped) of a delivered file."""
    sha256, encoding, mixed = _scan(path)
    with path.open(encoding=encoding, newline="") as handle:
        line = handle.readline()
    if not line.strip():
        raise DeliveryError(f"{path.name}: de eerste regel is leeg; verwacht een kopregel met "
                            "kolomnamen.")
    delimiter = ";" if line.count(";") >= line.count(",") else ","
    if line.count("\t") > line.count(delimiter):
        delimiter = "\t"
    line_end = "\r\n" if line.endswith("\r\n") else "\n"
    names = next(csv.reader([line.rstrip("\r\n")], delimiter=delimiter))
    return Dialect(encoding, delimiter, line_end,
                   tuple(n.strip().strip("\ufeff") for n in names), sha256, mixed)
