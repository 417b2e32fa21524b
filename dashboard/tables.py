"""Dutch tables the screens show ("Toon als tabel"); hidden cells carry one short marker and the
table one footnote (components.blocks.hidden_footnote)."""

from __future__ import annotations

import pandas as pd

from dashboard import format as fmt
from privacy.scope import named_schools

TRAJECT_TOTAL = "jeugdhulp_kosten_per_traject"  # its noemer: trajecten per area (exact)


def value_table(frame: pd.DataFrame, unit: str) -> pd.DataFrame:
    """Indicator values: display counts rounded, hidden cells marked."""
    table = pd.DataFrame({
        "Niveau": frame["level"].map(fmt.LEVELS),
        "Gebied": frame["area_name"],
        "Code": frame["area_code"],
        "Schooljaar": frame["period"],
        "Waarde": [fmt.cell(v, unit, s) for v, s in
                   zip(frame["value"], frame["suppressed"], strict=True)],
        "95%-interval": [fmt.interval(lo, hi, unit) for lo, hi in
                         zip(frame["ci_low"], frame["ci_high"], strict=True)],
        "Teller (afgerond)": [fmt.number(v) for v in frame["numerator_afgerond"]],
        "Noemer (afgerond)": [fmt.number(v) for v in frame["denominator_afgerond"]],
    })
    if "coverage" in frame and frame["coverage"].notna().any():
        table["Dekking"] = [coverage_text(c) for c in frame["coverage"]]
    return table


def coverage_text(coverage: float | None) -> str:
    """A school's youth-care figure covers only its pupils who live in the gemeente."""
    if fmt.missing(coverage):
        return ""
    return (f"gebaseerd op {fmt.number(100 * coverage)}% van de leerlingen: zij wonen in de "
            "gemeente")


def shares(frame: pd.DataFrame, totals: pd.Series) -> pd.DataFrame:
    """Share per category within each area, hidden categories together as 'overig/afgeschermd'.

    `totals` (area_code -> exact number of trajecten) comes from the indicator cells; where an
    area has none, its 'totaal' row is used when that is still published. A published `share`
    column (computed from exact counts in the pipeline) wins over counts rounded for display.
    Every area's shares add up to 100%.
    """
    parts = frame[frame["category"] != "totaal"]
    backup = frame[(frame["category"] == "totaal") & ~frame["suppressed"].astype(bool)]
    total = parts["area_code"].map(totals).fillna(  # float also when no part is left
        parts["area_code"].map(backup.set_index("area_code")["count"])).astype(float)
    visible = ~parts["suppressed"].astype(bool) & total.gt(0)
    share = parts["share"] if "share" in parts else 100 * parts["count"] / total
    shown = parts[visible].assign(share=share[visible].clip(lower=0))
    shown = _to_hundred(shown)
    other = (100 - shown.groupby("area_code")["share"].sum()).reindex(
        parts.loc[total.gt(0), "area_code"].unique(), fill_value=100.0)
    other = other[other > 0.05]
    names = parts.drop_duplicates("area_code").set_index("area_code")
    rest = pd.DataFrame({"area_code": other.index, "share": other.to_numpy(),
                         "category_label": fmt.OTHER, "category": "overig",
                         "area_name": other.index.map(names["area_name"]),
                         "level": other.index.map(names["level"])})
    return pd.concat([shown, rest], ignore_index=True)


def _to_hundred(shown: pd.DataFrame) -> pd.DataFrame:
    """Visible parts above 100% (display rounding) are scaled back to exactly 100%."""
    sums = shown.groupby("area_code")["share"].transform("sum")
    return shown.assign(share=shown["share"].where(sums <= 100, 100 * shown["share"] / sums))


def share_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Shares per area and category as shown in the stacked bars (including the rest)."""
    return pd.DataFrame({"Gebied": frame["label"], "Categorie": frame["category_label"],
                         "Aandeel": [fmt.number(v, 1) + "%" for v in frame["share"]]})


def target_table(targets: pd.DataFrame, catalogue: pd.DataFrame) -> pd.DataFrame:
    units = catalogue.set_index("indicator_id")["eenheid"]
    names = catalogue.set_index("indicator_id")["naam"]
    unit = targets["indicator_id"].map(units)
    return pd.DataFrame({
        "Indicator": targets["indicator_id"].map(names),
        "Niveau": targets["level"].map(fmt.LEVELS),
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
        "Afgesproken op": targets["afgesproken_op"].map(fmt.date),
    })


def school_table(schools: pd.DataFrame, links: bool = True) -> pd.DataFrame:
    """Schools; named ones link to their profile when `links`."""
    named = named_schools(schools["vestigingscode"])
    name = [fmt.markdown_link(n, "/school", vestigingscode=c) if links and ok
            else fmt.markdown_text(n) if links else n
            for n, c, ok in zip(schools["naam"], schools["vestigingscode"], named, strict=True)]
    return pd.DataFrame({
        "School": name,
        # An anonymous school has no vestigingscode to show ("School A | School A").
        "Vestiging": schools["vestigingscode"].where(named, ""),
        "Soort": schools["school_soort"],
        "Bestuur": schools["bevoegd_gezag_naam"],
        "Wijk": schools["wijknaam"] if "wijknaam" in schools else schools["wijkcode"],
        "Swv": schools["swv"],
        "Vergelijkingsgroep": schools["peer_group"],
    })


def trend_table(frame: pd.DataFrame, unit: str) -> pd.DataFrame:
    """One area over the schooljaren; hidden years marked."""
    return pd.DataFrame({
        "Schooljaar": frame["period"],
        "Waarde": [fmt.cell(v, unit, s) for v, s in
                   zip(frame["value"], frame["suppressed"], strict=True)],
        "95%-interval": [fmt.interval(lo, hi, unit) for lo, hi in
                         zip(frame["ci_low"], frame["ci_high"], strict=True)],
    })


def pooled_value(pooled: pd.DataFrame, indicator_id: str, unit: str) -> str:
    """The multi-year figure of one indicator, or the marker when it is hidden too."""
    row = pooled[pooled["indicator_id"] == indicator_id]
    if row.empty:
        return "–"
    if row["suppressed"].iat[0]:
        return fmt.HIDDEN
    return f"{fmt.value(row['value'].iat[0], unit)} ({row['period'].iat[0]})"


def comparison_table(frame: pd.DataFrame, unit: str, peers_label: str,
                     total_label: str) -> pd.DataFrame:
    """One area beside its peers and the total, 'Gemeente' or 'Regio' (frame from
    compare.area_comparison)."""
    table = trend_table(frame, unit).rename(columns={"Waarde": "Gekozen gebied"})
    table[f"{peers_label} (mediaan)"] = [fmt.value(v, unit) for v in frame["peers_median"]]
    table[f"{peers_label} (aantal zichtbaar)"] = [fmt.number(v) for v in frame["peers_shown"]]
    table[total_label] = [fmt.value(v, unit) for v in frame["totaal"]]
    return table
