"""Example OOGO targets (doelen.yaml) for the sample gemeente."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from sample_data.population import Window


def _period(year: int) -> str:
    return f"{year}-{year + 1}"


def write_doelen(path: Path, doelen: list[dict]) -> None:
    path.write_text(yaml.safe_dump({"doelen": doelen}, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")


def example_besturen(schools: pd.DataFrame, gemeenten: list[str]) -> dict[str, str]:
    """Per gemeente the bestuur with most of its primary schools there, each bestuur at most
    once: a bestuur spanning gemeenten would otherwise get the same target (and id) twice."""
    chosen: dict[str, str] = {}
    for code in gemeenten:
        own = schools[(schools["gemeentecode"] == code) & (schools["kind"] == "BAO")]
        boards = own["bevoegd_gezag"].value_counts()
        free = [board for board in boards.index if board not in chosen.values()]
        if free:
            chosen[code] = free[0]
    return chosen


def gemeente_doelen(gemeentecode: str, gemeentenaam: str, window: Window,
                    example_bestuur: str | None) -> list[dict]:
    """Targets as an OOGO would agree them; `basis_waarde: berekend` = taken from the data."""
    base, target = _period(window.first_year), _period(window.first_year + 4)
    oogo = f"OOGO {gemeentenaam}"
    doelen = [
        {"id": f"startkwalificatie-{gemeentecode.lower()}",
         "indicator": "schoolverlaters_startkwalificatie",
         "level": "gemeente", "area_code": gemeentecode, "basis_periode": base,
         "basis_waarde": "berekend", "doel_relatief_tegendeel": -0.25,
         "doel_periode": target,
         "afgesproken_in": oogo, "afgesproken_op": f"{window.first_year + 1}-03-15",
         "toelichting": "Over vier jaar is het aandeel schoolverlaters zonder "
                        "startkwalificatie met een kwart gedaald."},
        {"id": f"vsv-{gemeentecode.lower()}", "indicator": "vsv", "level": "gemeente",
         "area_code": gemeentecode, "basis_periode": base, "basis_waarde": "berekend",
         "doel_waarde": 1.5, "doel_periode": target, "afgesproken_in": oogo,
         "afgesproken_op": f"{window.first_year + 1}-03-15",
         "toelichting": "Niet meer dan 1,5% nieuwe voortijdig schoolverlaters per jaar."},
        {"id": f"thuiszitters-{gemeentecode.lower()}", "indicator": "thuiszitters",
         "level": "gemeente", "area_code": gemeentecode, "basis_periode": base,
         "basis_waarde": "berekend", "doel_relatief": -0.5, "doel_periode": target,
         "afgesproken_in": f"LEA {gemeentenaam}", "afgesproken_op": f"{window.first_year}-11-20",
         "toelichting": "Thuiszitpact: het aantal thuiszitters per 1000 leerlingen halveert."},
        {"id": f"verblijf-{gemeentecode.lower()}", "indicator": "jeugdhulp_verblijf",
         "level": "gemeente", "area_code": gemeentecode, "basis_periode": base,
         "basis_waarde": "berekend", "doel_relatief": -0.2, "doel_periode": target,
         "afgesproken_in": oogo, "afgesproken_op": f"{window.first_year + 1}-03-15",
         "toelichting": "Jeugdhulp lichter en dichter bij huis: een vijfde minder verblijf."},
    ]
    if example_bestuur:
        # On an outcome for pupils, not on the number of verzuim reports: a target on reports
        # is reached by reporting less (the Leerplichtwet obliges schools to report).
        doelen.append({
            "id": f"instroom-bestuur-{example_bestuur}", "indicator": "instroom_speciaal_onderwijs",
            "level": "bestuur", "area_code": example_bestuur, "basis_periode": base,
            "basis_waarde": "berekend", "doel_relatief": -0.2, "doel_periode": target,
            "afgesproken_in": f"LEA {gemeentenaam}", "afgesproken_op": f"{window.first_year}-11-20",
            "toelichting": "Thuisnabij onderwijs: een vijfde minder leerlingen van het bestuur "
                           "stroomt over naar het speciaal (basis)onderwijs."})
    return doelen
