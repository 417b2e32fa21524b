"""Issue 15's goals against the measured figures, and what holds back a goal that is missed.

The stage (or page) that holds a goal back is the one that measured slowest (or largest); its
profile is measured too (bench/bench_profile.py), and the proposed fix is chosen by where that
profile says the time goes (bench.yaml `remedies`), never written by hand per run.
"""

from __future__ import annotations

import re

GIB = 1024


def goals(results: dict, config: dict) -> list[dict]:
    """Each goal: what was measured, the limit, and whether it is met."""
    limits, pipeline, dashboard = config["goals"], results["pijplijn"], results["dashboard"]
    ratio = pipeline["seconden"] / results["vloer"]["seconden"]
    memory = pipeline["piekgeheugen_mib"] / GIB
    rows = [{"doel": "pijplijn ÷ DuckDB-leesvloer", "gemeten": round(ratio, 1),
             "grens": limits["pipeline_x_floor"], "eenheid": "×",
             "gehaald": ratio <= limits["pipeline_x_floor"]},
            {"doel": "piekgeheugen pijplijn", "gemeten": round(memory, 2),
             "grens": limits["peak_memory_gib"], "eenheid": "GiB",
             "gehaald": memory < limits["peak_memory_gib"]}]
    for page, row in dashboard["paginas"].items():
        rows.append({"doel": f"p95 {page} ({dashboard['gebruikers']} gebruikers)",
                     "gemeten": row["p95_ms"], "grens": limits["page_p95_ms"], "eenheid": "ms",
                     "gehaald": row["p95_ms"] < limits["page_p95_ms"]})
    return rows


def slowest_stage(pipeline: dict) -> str:
    return max(pipeline["stappen"], key=lambda key: pipeline["stappen"][key]["seconden"])


def largest_stage(pipeline: dict) -> str:
    return max(pipeline["stappen"], key=lambda key: pipeline["stappen"][key]["piekgeheugen_mib"])


def slowest_page(dashboard: dict) -> str:
    return max(dashboard["paginas"], key=lambda page: dashboard["paginas"][page]["p95_ms"])


def remedy(profile: dict, remedies: list[dict]) -> dict:
    """Where the profiled time goes (self time per kind) and the fix for the largest kind."""
    spent: dict[int, float] = {}
    for row in profile["eigen_tijd"]:
        index = next(i for i, r in enumerate(remedies)
                     if re.search(r["pattern"], row["functie"], re.IGNORECASE))
        spent[index] = spent.get(index, 0.0) + row["eigen_s"]
    total = sum(spent.values()) or 1.0
    main = max(spent, key=spent.get) if spent else len(remedies) - 1
    return {"soort": remedies[main]["kind"], "aandeel": round(spent.get(main, 0.0) / total, 2),
            "oplossing": remedies[main]["fix"],
            "verdeling": {remedies[i]["kind"]: round(s, 3) for i, s in spent.items()}}


def holdups(results: dict, profiles: dict, config: dict) -> list[dict]:
    """For each missed goal: what holds it back, its profile and the proposed fix."""
    missed = [goal for goal in results["doelen"] if not goal["gehaald"]]
    found = []
    if any(goal["doel"].startswith("pijplijn") for goal in missed):
        stage = slowest_stage(results["pijplijn"])
        entry = {"doel": "pijplijn ÷ DuckDB-leesvloer", "houdt_tegen": stage,
                 "aandeel_pijplijn": round(results["pijplijn"]["stappen"][stage]["seconden"]
                                           / results["pijplijn"]["seconden"], 2),
                 "profiel": profiles["pijplijn"], **remedy(profiles["pijplijn"],
                                                           config["remedies"])}
        if stage == "link":
            entry["traagste_modellen"] = results["pijplijn"]["koppelen_modellen"][
                :config["profile_rows"]]
        found.append(entry)
    if any(goal["doel"].startswith("piekgeheugen") for goal in missed):
        found.append({"doel": "piekgeheugen pijplijn",
                      "houdt_tegen": largest_stage(results["pijplijn"])})
    if any(goal["doel"].startswith("p95") for goal in missed):
        found += _page_holdups(results["dashboard"], profiles, config)
    return found


def _page_holdups(dashboard: dict, profiles: dict, config: dict) -> list[dict]:
    """The queue for a worker (when even the floor is slow) and the slowest page's profile."""
    found = []
    if dashboard["vloer"]["p95_ms"] >= config["goals"]["page_p95_ms"]:
        found.append({"doel": "p95 per pagina", "houdt_tegen": "wachtrij voor de workers",
                      "vloer_p95_ms": dashboard["vloer"]["p95_ms"],
                      "in_de_workers": dashboard["in_de_workers"],
                      "workers": dashboard["workers"], "oplossing": config["queue_fix"]})
    page = slowest_page(dashboard)
    found.append({"doel": "p95 per pagina", "houdt_tegen": page, "profiel": profiles["pagina"],
                  **remedy(profiles["pagina"], config["remedies"])})
    return found
