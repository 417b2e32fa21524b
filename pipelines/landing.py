"""Which files in the landing folder make up this delivery, before anything is read.

Per source (pipelines/sources.yaml): one file `<bron>.csv` or parts `<bron>_<deel>.csv`, and
for sources with `correctie:` correction parts `<bron>_correctie_<periode>.csv` (periode
`JJJJ`, or `JJJJH1`/`JJJJH2` for a half year) that replace every record of that period, or
`<bron>_<deel>_correctie_<periode>.csv` that replace only those of part `<bron>_<deel>.csv`.
A file identical to an earlier one (same SHA-256) is read once, with a warning. A symbolic
link in the folder stops the run naming it; other files and folders are ignored with a
warning. A missing source stops the run naming the indicators it feeds, unless
`[pipeline] allow_missing_sources` lets the rest be published.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from indicators.catalogue import load_catalogue
from privacy.delivery import CHUNK

CORRECTION = r"(?:_(.+))?_correctie_(\d{4})(?:H([12]))?"  # after the source's own name
GEOJSON = {"file": "wijken.geojson"}
ALSO_EXPECTED = ("doelen.yaml",)


class LoadError(Exception):
    """A landing file cannot be used at all (blocking); the message names file and column."""


class MissingSource(LoadError):
    """A source has no file at all in the landing folder."""


@dataclass(frozen=True)
class Correction:
    """A correction part: replaces every record whose `column` lies in [start, end]."""

    path: Path
    period: str
    column: str
    start: dt.date
    end: dt.date
    part: str | None = None  # `<bron>_<deel>_correctie_…`: replaces only that part's records


@dataclass
class Delivery:
    """The files to read per source, corrections, absent sources and folder warnings."""

    files: dict[str, list[Path]] = field(default_factory=dict)
    corrections: dict[str, list[Correction]] = field(default_factory=dict)
    missing: dict[str, list[str]] = field(default_factory=dict)  # source -> indicator ids
    warnings: list[str] = field(default_factory=list)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _without_copies(paths: list[Path], warnings: list[str]) -> list[Path]:
    """Drop a file whose content equals an earlier one (only same-size files are hashed)."""
    kept: list[Path] = []
    seen: dict[tuple[int, str], Path] = {}
    sizes = [p.stat().st_size for p in paths]
    for path, size in zip(paths, sizes, strict=True):
        if sizes.count(size) > 1:
            first = seen.setdefault((size, _sha256(path)), path)
            if first != path:
                warnings.append(f"{path.name} is identiek aan {first.name} en wordt niet nog "
                                "eens ingelezen (geen dubbeltelling).")
                continue
        kept.append(path)
    return kept


def _correction(path: Path, spec: dict) -> Correction | None:
    stem = Path(spec["file"]).stem
    match = re.fullmatch(re.escape(stem) + CORRECTION, path.stem)
    if match is None or "correctie" not in spec:
        return None
    part, year, half = match[1], int(match[2]), match[3]
    target = part and f"{stem}_{part}{path.suffix}"
    if target and not (path.parent / target).is_file():
        raise LoadError(f"{path.name}: corrigeert deel {part}, maar {target} is niet geleverd.")
    start = dt.date(year, 7 if half == "2" else 1, 1)
    end = dt.date(year, 6 if half == "1" else 12, 30 if half == "1" else 31)
    return Correction(path, match[2] + (f"H{half}" if half else ""), spec["correctie"],
                      start, end, target)


def source_files(landing: Path, spec: dict,
                 warnings: list[str] | None = None) -> tuple[list[Path], list[Correction]]:
    """`<bron>.csv` or its parts (never both), identical copies dropped; and corrections."""
    warnings = [] if warnings is None else warnings
    single = landing / spec["file"]
    candidates = sorted(landing.glob(f"{single.stem}_*{single.suffix}"))
    corrections = [c for c in (_correction(p, spec) for p in candidates) if c]
    fixed = {c.path for c in corrections}
    parts = [p for p in candidates if p not in fixed]
    files = _without_copies(([single] if single.is_file() else []) + parts, warnings)
    if single in files and len(files) > 1:
        raise LoadError(f"{single.name} en {files[1].name}: lever een bron als één bestand "
                        "of in delen, niet allebei.")
    if not files:
        raise MissingSource(f"{single.name}: bestand ontbreekt in de landing-map {landing} "
                            f"(ook geen delen {single.stem}_<deel>{single.suffix}).")
    return files, corrections


def _expected(name: str, specs: dict[str, dict]) -> bool:
    for spec in [*specs.values(), GEOJSON]:
        stem, suffix = Path(spec["file"]).stem, Path(spec["file"]).suffix
        if name == spec["file"] or (name.startswith(f"{stem}_") and name.endswith(suffix)):
            return True
    return name in ALSO_EXPECTED


def check_folder(landing: Path, specs: dict[str, dict]) -> list[str]:
    """Refuse symbolic links (naming them); warnings for files that are no source."""
    if not landing.is_dir():
        raise LoadError(f"Landing-map {landing} bestaat niet. Draai eerst `make sample` of "
                        "geef --landing.")
    warnings = []
    for entry in sorted(landing.iterdir()):
        if entry.is_symlink():
            raise LoadError(f"{entry.name}: is een symbolische koppeling; die volgt de pijplijn "
                            "niet. Zet het bestand zelf in de landing-map.")
        if entry.is_dir():
            warnings.append(f"map {entry.name}/ in de landing-map wordt genegeerd.")
        elif not _expected(entry.name, specs):
            warnings.append(f"{entry.name} is geen bronbestand en wordt genegeerd "
                            "(verwacht: .csv-bestanden uit pipelines/sources.yaml).")
    return warnings


def _needs(spec: dict) -> list[str]:
    """Indicator ids (variants included) computed from a source; every one when unlisted."""
    groups = spec.get("indicatoren")
    return [i.id for i in load_catalogue()[0] if groups is None or i.groep in groups]


def fed_by(spec: dict) -> list[str]:
    """The indicator ids (variants included) a source's data feeds."""
    return _needs(spec)


def _missing(spec: dict, error: MissingSource, allow_missing: bool) -> list[str]:
    """The indicators a missing source feeds; LoadError unless configuration allows it."""
    if spec.get("mag_ontbreken"):
        return []
    needs = _needs(spec)
    if "indicatoren" not in spec:
        raise LoadError(f"{error} Zonder deze bron is geen enkele indicator te berekenen. "
                        "Lever het bestand aan.") from error
    if not allow_missing:
        raise LoadError(f"{error} Zonder deze bron zijn niet te berekenen: {', '.join(needs)}. "
                        "Lever het bestand aan, of zet [pipeline] allow_missing_sources = true "
                        "om de overige indicatoren te publiceren.") from error
    return needs


def survey(landing: Path, specs: dict[str, dict], allow_missing: bool) -> Delivery:
    """Every source's files; a missing source is allowed only when it does not feed all."""
    delivery = Delivery(warnings=check_folder(landing, specs))
    for name, spec in specs.items():
        try:
            files, corrections = source_files(landing, spec, delivery.warnings)
        except MissingSource as error:
            delivery.missing[name] = _missing(spec, error, allow_missing)
            delivery.warnings.append(
                f"{spec['file']} ontbreekt: niet berekend en niet gepubliceerd: "
                f"{', '.join(delivery.missing[name])}." if delivery.missing[name] else
                f"{spec['file']} ontbreekt: {spec.get('mag_ontbreken_gevolg', 'leeg gelaten')}.")
            continue
        delivery.files[name] = files
        delivery.corrections[name] = corrections
    delivery.files["wijken"] = source_files(landing, GEOJSON, delivery.warnings)[0]
    return delivery
