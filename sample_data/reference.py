"""Real open reference data (CBS wijken, DUO school locations) for one gemeente."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
WIJKEN_FILE = REFERENCE_DIR / "wijk_2024.geojson"
GEMEENTEN_FILE = REFERENCE_DIR / "gemeente_2024.geojson"
SCHOOLS_FILE = REFERENCE_DIR / "duo_schoolvestigingen.csv"
DUO_PO_FILE = REFERENCE_DIR / "02.-alle-schoolvestigingen-basisonderwijs.csv"


@dataclass(frozen=True)
class Gemeente:
    code: str
    name: str
    province: str
    wijken: pd.DataFrame  # statcode, statnaam, lon, lat (centroid)
    wijk_features: list[dict]
    schools: pd.DataFrame  # DUO rows of this gemeente (+ bevoegd_gezag for basisscholen)


@cache
def _wijk_collection() -> dict:
    return json.loads(WIJKEN_FILE.read_text(encoding="utf-8"))


def _centroid(geometry: dict) -> tuple[float, float]:
    rings = geometry["coordinates"]
    if geometry["type"] == "MultiPolygon":
        rings = max(rings, key=lambda polygon: len(polygon[0]))
    outer = np.asarray(rings[0], dtype=float)
    return float(outer[:, 0].mean()), float(outer[:, 1].mean())


@cache
def _gemeente_collection() -> dict:
    return json.loads(GEMEENTEN_FILE.read_text(encoding="utf-8"))


def gemeente_names() -> dict[str, str]:
    return {f["properties"]["statcode"]: f["properties"]["statnaam"]
            for f in _gemeente_collection()["features"]}


@cache
def _vertices() -> dict[str, frozenset[tuple[float, float]]]:
    """Every polygon vertex per gemeente (CBS borders share vertices exactly)."""
    result = {}
    for feature in _gemeente_collection()["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" \
            else [geometry["coordinates"]]
        result[feature["properties"]["statcode"]] = frozenset(
            (x, y) for polygon in polygons for ring in polygon for x, y in ring)
    return result


def gemeente_centroids() -> dict[str, tuple[float, float]]:
    """(lon, lat) of the largest polygon's outer ring per gemeente."""
    return {f["properties"]["statcode"]: _centroid(f["geometry"])
            for f in _gemeente_collection()["features"]}


def neighbours(code: str, nearest: int = 2) -> list[str]:
    """Gemeenten whose CBS polygon touches `code`'s; islands get the `nearest` by centroid."""
    vertices = _vertices()
    own = vertices[code]
    touching = sorted(other for other, points in vertices.items()
                      if other != code and not own.isdisjoint(points))
    if touching:
        return touching
    centres = gemeente_centroids()
    x, y = centres[code]
    by_distance = sorted((np.hypot(cx - x, cy - y), other)
                         for other, (cx, cy) in centres.items() if other != code)
    return [other for _, other in by_distance[:nearest]]


@cache
def _school_table() -> pd.DataFrame:
    """DUO school locations with the basisscholen's real bevoegd gezag, sorted by code."""
    schools = pd.read_csv(SCHOOLS_FILE, dtype=str, keep_default_na=False)
    schools = schools.drop_duplicates("vestigingscode")
    boards = pd.read_csv(DUO_PO_FILE, sep=";", encoding="cp1252", dtype=str,
                         keep_default_na=False)[["VESTIGINGSCODE", "BEVOEGD GEZAG NUMMER"]]
    boards.columns = ["vestigingscode", "bevoegd_gezag"]
    schools = schools.merge(boards.drop_duplicates("vestigingscode"), how="left",
                            on="vestigingscode")
    schools = schools.sort_values("vestigingscode", ignore_index=True)
    schools[["lon", "lat"]] = schools[["lon", "lat"]].astype(float)
    return schools


def load_gemeente(code: str) -> Gemeente:
    """Wijken and school locations of gemeente `code` (e.g. GM0034); ValueError when unknown."""
    names = gemeente_names()
    if code not in names:
        raise ValueError(f"Onbekende gemeentecode {code!r}: verwacht GM + 4 cijfers van CBS 2024.")
    features = [
        f for f in _wijk_collection()["features"] if f["properties"]["statcode"][2:6] == code[2:]
    ]
    rows = []
    for feature in features:
        lon, lat = _centroid(feature["geometry"])
        props = feature["properties"]
        rows.append({"statcode": props["statcode"], "statnaam": props["statnaam"],
                     "lon": lon, "lat": lat})
    wijken = pd.DataFrame(rows).sort_values("statcode", ignore_index=True)

    schools = _school_table()
    schools = schools[schools["gemeentecode"] == code].reset_index(drop=True)
    province = schools["provincie"].mode().iat[0] if len(schools) else ""
    return Gemeente(code=code, name=names[code], province=province, wijken=wijken,
                    wijk_features=features, schools=schools)
