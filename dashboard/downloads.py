"""CSV downloads, rebuilt on the server from a key and the viewer's scope.

A browser only sends which table it wants (`waarden|vsv|school|2024-2025`); the rows always
come from the server-side query for the viewer's own scope, so a forged key cannot widen it.
Files are `;`-separated with decimal commas (Dutch Excel) and start with '#' header rows that
give the indicator's definition, unit and source.
"""

from __future__ import annotations

from dashboard.data import Published
from dashboard.tables import breakdown_table, school_table, target_table, value_table
from privacy.scope import Scope


def _header(lines: list[tuple[str, str]]) -> str:
    return "".join(f"# {label}: {text}\n" for label, text in lines if text)


def build(data: Published, scope: Scope, key: str) -> tuple[str, str]:
    """(file name, CSV text) for a download key; ValueError for an unknown key."""
    kind, *args = key.split("|")
    meta: list[tuple[str, str]] = [("Bron", "Jeugd & Onderwijs Monitor, run " + data.run_id)]
    if kind == "waarden" and len(args) == 3:
        indicator, level, period = args
        catalogue = data.catalogue().set_index("indicator_id")
        if indicator not in catalogue.index:
            raise ValueError(f"Onbekende indicator {indicator!r}.")
        entry = catalogue.loc[indicator]
        frame = value_table(data.values(scope, indicator, level or None, period or None),
                            entry["eenheid"])
        meta = [("Indicator", f"{entry['naam']} ({indicator})"),
                ("Definitie", entry["definitie"]), ("Teller", entry["teller"]),
                ("Noemer", entry["noemer"]), ("Eenheid", entry["eenheid"]),
                ("Kanttekeningen", entry["kanttekeningen"]), *meta]
        name = f"{indicator}_{level or 'alle'}_{period or 'alle-jaren'}.csv"
    elif kind == "uitsplitsing" and len(args) == 3:
        level, period, dimension = args
        frame = breakdown_table(data.breakdowns(scope, level, period, dimension))
        meta = [("Uitsplitsing", f"jeugdhulptrajecten naar {dimension}, {period}"),
                ("Eenheid", "aantallen afgerond op 5; kosten in euro"), *meta]
        name = f"jeugdhulp_{dimension}_{level}_{period}.csv"
    elif kind == "doelen" and not args:
        frame = target_table(data.targets(scope), data.catalogue())
        meta = [("Inhoud", "doelen uit het OOGO met traject en status per schooljaar"), *meta]
        name = "doelen.csv"
    elif kind == "scholen" and not args:
        frame = school_table(data.schools(scope), links=False)
        name = "scholen.csv"
    elif kind == "controles" and not args:
        frame = data.validation()
        meta = [("Inhoud", "uitkomsten van de controles van de laatste run"), *meta]
        name = "controles.csv"
    else:
        raise ValueError(f"Onbekende download {key!r}.")
    body = frame.to_csv(sep=";", decimal=",", index=False)
    return name, _header(meta) + body

