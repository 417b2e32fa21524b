"""The school register of one gemeente: real DUO vestigingen, plausible boards, swv and MBO."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sample_data.reference import Gemeente

# DUO school type -> school kind (scholen.onderwijssoort)
KIND_BY_TYPE = {"basisschool": "BAO", "SBAO": "SBAO", "SO": "SO", "VSO": "VSO",
                "(V)SO": "SO/VSO", "PRO": "PRO"}
# DUO region number of each province, as used in samenwerkingsverband codes (PO-24-01).
REGION_BY_PROVINCE = {"Groningen": 20, "Fryslân": 21, "Friesland": 21, "Drenthe": 22,
                      "Overijssel": 23, "Flevoland": 24, "Gelderland": 25, "Utrecht": 26,
                      "Noord-Holland": 27, "Zuid-Holland": 28, "Zeeland": 29,
                      "Noord-Brabant": 30, "Limburg": 31}
DEFAULT_SIZE = {"BAO": 230, "SBAO": 120, "SO": 90, "VSO": 120, "SO/VSO": 180, "PRO": 250,
                "VO": 900, "MBO": 2500}
BOARD_WORD = {"PO": "Primair Onderwijs", "EC": "Speciaal Onderwijs", "VO": "Voortgezet Onderwijs",
              "MBO": "Beroepsonderwijs"}
VO_TRACKS = ("PRO", "VMBO-B", "VMBO-K", "VMBO-G", "VMBO-T", "HAVO", "VWO")


def _tracks(kind: str, duo_type: str) -> tuple[str, ...]:
    if kind == "PRO":
        return ("PRO",)
    if kind != "VO":
        return ()
    parts = set(duo_type.split("/"))
    tracks: list[str] = []
    if "PRO" in parts:
        tracks.append("PRO")
    if "VBO" in parts:
        tracks += ["VMBO-B", "VMBO-K", "VMBO-G"]
    if "MAVO" in parts or "BRUGJAAR" in parts:
        tracks += ["VMBO-G", "VMBO-T"]
    if "HAVO" in parts or "BRUGJAAR" in parts:
        tracks.append("HAVO")
    if "VWO" in parts or "BRUGJAAR" in parts:
        tracks.append("VWO")
    return tuple(dict.fromkeys(tracks))


def _board_class(kind: str) -> str:
    return {"BAO": "PO", "SBAO": "PO", "SO": "EC", "VSO": "EC", "SO/VSO": "EC",
            "MBO": "MBO"}.get(kind, "VO")


def _board_number(gemeente: Gemeente, index: int) -> str:
    return f"{8 + index // 10}{int(gemeente.code[2:]) % 1000:03d}{index % 10}"


def _mbo_brin(gemeentecode: str) -> str:
    """A synthetic BRIN per gemeente: 9 + digit + M + letter (DUO has no BRIN starting with 9)."""
    number = int(gemeentecode[2:])
    return f"9{number % 10}M{chr(65 + number // 10 % 26)}"


def _mbo_locations(gemeente: Gemeente, vo: pd.DataFrame) -> pd.DataFrame:
    if vo.empty:
        return pd.DataFrame()
    count = 2 if len(vo) >= 4 else 1
    busiest = vo["wijkcode"].value_counts().index[:count]
    brin = _mbo_brin(gemeente.code)
    rows = []
    for i, wijkcode in enumerate(busiest):
        wijk = gemeente.wijken.set_index("statcode").loc[wijkcode]
        first = vo[vo["wijkcode"] == wijkcode].iloc[0]
        rows.append({
            "vestigingscode": f"{brin}{int(gemeente.code[2:]) // 260 % 10}{i}",
            "brin": brin,
            "naam": f"ROC {gemeente.name} – locatie {wijk['statnaam']}",
            "type": "MBO", "denominatie": "Openbaar", "postcode": first["postcode"],
            "wijkcode": wijkcode, "lon": wijk["lon"], "lat": wijk["lat"],
            "leerlingen": "", "bevoegd_gezag": np.nan,
        })
    return pd.DataFrame(rows)


def build_register(gemeente: Gemeente, rng: np.random.Generator,
                   swv_gemeente: str | None = None) -> pd.DataFrame:
    """scholen.csv rows plus the generator's own columns (kind, tracks, size, effect).

    Schools belong to the samenwerkingsverbanden numbered after `swv_gemeente` (default: their
    own gemeente), so the gemeenten of one region share their swv."""
    duo = gemeente.schools.copy()
    duo["kind"] = duo["type"].map(KIND_BY_TYPE).fillna("VO")
    mbo = _mbo_locations(gemeente, duo[duo["kind"] == "VO"])
    if not mbo.empty:
        mbo["kind"] = "MBO"
    schools = pd.concat([duo, mbo], ignore_index=True)
    schools["tracks"] = [_tracks(k, t) for k, t in zip(schools["kind"], schools["type"],
                                                       strict=True)]
    schools["board_class"] = schools["kind"].map(_board_class)

    # Real board numbers for basisscholen; others grouped by class and denominatie.
    names: dict[str, str] = {}
    missing = schools["bevoegd_gezag"].isna() | (schools["bevoegd_gezag"] == "")
    groups = schools[missing].groupby(["board_class", "denominatie"], sort=True).groups
    for index, ((board_class, denominatie), members) in enumerate(groups.items()):
        number = _board_number(gemeente, index)
        schools.loc[members, "bevoegd_gezag"] = number
        names[number] = f"Stichting {denominatie} {BOARD_WORD[board_class]} {gemeente.name}"
    for number, group in schools[~missing].groupby("bevoegd_gezag"):
        denominatie = group["denominatie"].mode().iat[0]
        names[number] = f"Stichting {denominatie} Primair Onderwijs {gemeente.name} {number[-3:]}"
    schools["bevoegd_gezag_naam"] = schools["bevoegd_gezag"].map(names)

    region = REGION_BY_PROVINCE.get(gemeente.province, 27)
    number = int((swv_gemeente or gemeente.code)[2:]) % 19 + 1
    sector = np.where(schools["kind"].isin(["BAO", "SBAO", "SO", "SO/VSO"]), "PO",
                      np.where(schools["kind"] == "MBO", "", "VO"))
    schools["swv"] = [f"{s}-{region}-{number:02d}" if s else "" for s in sector]
    # DUO registers a school under the swv of each sector it teaches: SO/VSO under both, so
    # VSO pupils count at the VO-swv (passend onderwijs; DUO 'swv per vestiging').
    po = schools["kind"].isin(["BAO", "SBAO", "SO", "SO/VSO"]).to_numpy()
    vo = schools["kind"].isin(["SO/VSO", "VSO", "PRO", "VO"]).to_numpy()
    schools["swv_po"] = np.where(po, f"PO-{region}-{number:02d}", "")
    schools["swv_vo"] = np.where(vo, f"VO-{region}-{number:02d}", "")

    sizes = pd.to_numeric(schools["leerlingen"], errors="coerce")
    schools["size"] = sizes.fillna(schools["kind"].map(DEFAULT_SIZE)).clip(lower=40)
    schools["effect"] = rng.normal(0.0, 0.25, len(schools))
    schools["onderwijssoort"] = schools["kind"]
    schools["gemeentecode"] = gemeente.code
    return schools.reset_index(drop=True)


def ho_institutions(gemeente: Gemeente) -> pd.DataFrame:
    """A hogeschool and a universiteit for the region's hbo/wo students (synthetic: DUO's
    delivery to the RMC names the instelling). The monitor counts their enrolments as
    'ingeschreven' (no school leaver, not in the RMC group) but places no figure there."""
    number = int(gemeente.code[2:])
    lon, lat = gemeente.wijken["lon"].mean(), gemeente.wijken["lat"].mean()
    rows = []
    for i, (kind, letter, name, size) in enumerate((("HBO", "H", "Hogeschool", 8000),
                                                    ("WO", "W", "Universiteit", 20000))):
        brin = f"9{number % 10}{letter}{chr(65 + number // 10 % 26)}"
        board = f"7{number % 1000:03d}{i}"
        rows.append({"vestigingscode": f"{brin}00", "brin": brin,
                     "naam": f"{name} (voorbeeld) {gemeente.name}", "type": kind, "kind": kind,
                     "denominatie": "Openbaar", "postcode": "", "wijkcode": "", "lon": lon,
                     "lat": lat, "leerlingen": size, "size": float(size), "effect": 0.0,
                     "tracks": (), "board_class": "HO", "bevoegd_gezag": board,
                     "bevoegd_gezag_naam": f"{name} (voorbeeld) {gemeente.name}",
                     "swv": "", "swv_po": "", "swv_vo": "", "onderwijssoort": kind,
                     "gemeentecode": gemeente.code})
    return pd.DataFrame(rows)


SCHOLEN_COLUMNS = ["vestigingscode", "brin", "naam", "onderwijssoort", "bevoegd_gezag",
                   "bevoegd_gezag_naam", "gemeentecode", "postcode", "swv", "swv_po", "swv_vo",
                   "denominatie", "wijkcode", "lon", "lat"]
