"""Dutch tables shared by the screens ("Toon als tabel") and the CSV downloads."""

from __future__ import annotations

import pandas as pd

from dashboard import format as fmt


def value_table(frame: pd.DataFrame, unit: str) -> pd.DataFrame:
    """Indicator values: display counts rounded, hidden cells with their reason."""
    return pd.DataFrame({
        "Niveau": frame["level"].map(fmt.LEVELS),
        "Gebied": frame["area_name"],
        "Code": frame["area_code"],
        "Schooljaar": frame["period"],
        "Waarde": [fmt.value(v, unit) if not s else fmt.reason(r)
                   for v, s, r in zip(frame["value"], frame["suppressed"],
                                      frame["suppression_reason"], strict=True)],
        "95%-interval": [fmt.interval(lo, hi, unit) for lo, hi in
                         zip(frame["ci_low"], frame["ci_high"], strict=True)],
        "Teller (afgerond)": [fmt.number(v) for v in frame["numerator_afgerond"]],
        "Noemer (afgerond)": [fmt.number(v) for v in frame["denominator_afgerond"]],
    })


def breakdown_table(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Gebied": frame["area_name"],
        "Categorie": frame["category_label"],
        "Trajecten (afgerond)": [fmt.number(v) if not s else fmt.reason(r) for v, s, r in
                                 zip(frame["count"], frame["suppressed"],
                                     frame["suppression_reason"], strict=True)],
        "Jeugdigen (afgerond)": [fmt.number(v) for v in frame["personen"]],
        "Kosten": [fmt.value(v, "euro") for v in frame["kosten"]],
    })


def target_table(targets: pd.DataFrame, catalogue: pd.DataFrame) -> pd.DataFrame:
    units = catalogue.set_index("indicator_id")["eenheid"]
    names = catalogue.set_index("indicator_id")["naam"]
    unit = targets["indicator_id"].map(units)
    return pd.DataFrame({
        "Doel": targets["doel_id"],
        "Indicator": targets["indicator_id"].map(names),
        "Gebied": targets["area_name"].fillna(targets["area_code"]),
        "Schooljaar": targets["period"],
        "Waarde": [fmt.value(v, u) for v, u in zip(targets["value"], unit, strict=True)],
        "Traject": [fmt.value(v, u) for v, u in zip(targets["trajectory_value"], unit,
                                                    strict=True)],
        "Doel (waarde)": [fmt.value(v, u) for v, u in zip(targets["doel_waarde"], unit,
                                                          strict=True)],
        "Doeljaar": targets["doel_periode"],
        "Status": targets["status"].map(fmt.status),
        "Afgesproken in": targets["afgesproken_in"],
        "Afgesproken op": targets["afgesproken_op"],
    })


def school_table(schools: pd.DataFrame, links: bool = True) -> pd.DataFrame:
    """Schools; named ones link to their profile when `links`."""
    named = schools["vestigingscode"].str.fullmatch(r"\d{2}[A-Z]{2}\d{2}").fillna(False)
    name = [f"[{n}](/school?vestigingscode={c})" if links and ok else n
            for n, c, ok in zip(schools["naam"], schools["vestigingscode"], named, strict=True)]
    return pd.DataFrame({
        "School": name,
        "Vestiging": schools["vestigingscode"],
        "Soort": schools["school_soort"],
        "Bestuur": schools["bevoegd_gezag_naam"],
        "Swv": schools["swv"],
        "Vergelijkingsgroep": schools["peer_group"],
    })


def trend_table(frame: pd.DataFrame, unit: str) -> pd.DataFrame:
    """One area over the schooljaren; hidden years say why."""
    return pd.DataFrame({
        "Schooljaar": frame["period"],
        "Waarde": [fmt.value(v, unit) if not s else fmt.reason(r) for v, s, r in
                   zip(frame["value"], frame["suppressed"], frame["suppression_reason"],
                       strict=True)],
    })


def pooled_value(pooled: pd.DataFrame, indicator_id: str, unit: str) -> str:
    """The multi-year figure of one indicator, or why it is hidden too."""
    row = pooled[pooled["indicator_id"] == indicator_id]
    if row.empty:
        return "–"
    if row["suppressed"].iat[0]:
        return fmt.reason(row["suppression_reason"].iat[0])
    return f"{fmt.value(row['value'].iat[0], unit)} ({row['period'].iat[0]})"
