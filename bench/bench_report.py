"""The bench report: bench/<scale>.json (every figure) and bench/<scale>.md (for people).

Also what the figures need to be judged: the machine (cores, memory, load average before and
after) and the versions of Python, the libraries and the code.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
from importlib.metadata import version
from pathlib import Path

import psutil

from pipelines.manifest import code_version

LIBRARIES = ("duckdb", "pandas", "pyarrow", "great-expectations", "scipy", "dash", "gunicorn",
             "psutil")
GIB = 1024 ** 3


def machine(locust: Path) -> dict:
    """Cores, memory, processor, load average now; versions of everything measured."""
    cpu = next((line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    locust_version = subprocess.run([str(locust), "--version"], capture_output=True,
                                    text=True).stdout.split()[1] if locust.is_file() else None
    return {"kernen": os.cpu_count(), "fysieke_kernen": psutil.cpu_count(logical=False),
            "geheugen_gib": round(psutil.virtual_memory().total / GIB, 1), "processor": cpu,
            "systeem": platform.platform(), "python": platform.python_version(),
            "versies": {**{name: version(name) for name in LIBRARIES}, "locust": locust_version},
            "commit": code_version()}


def load_average() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


def _nl(number: float, decimals: int = 1) -> str:
    text = f"{number:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def _pipeline_lines(results: dict) -> list[str]:
    pipeline, floor = results["pijplijn"], results["vloer"]
    lines = ["## Pijplijn", "",
             f"{_nl(pipeline['rijen'], 0)} landingsrijen in {floor['bestanden']} bestanden. "
             f"Opstarten (imports) {_nl(pipeline['opstarten_s'])} s.", "",
             "| stap | | seconden | landingsrijen/s | piekgeheugen (MiB) |",
             "|---|---|--:|--:|--:|"]
    lines += [f"| {key} | {stage['naam']} | {_nl(stage['seconden'])} | "
              f"{_nl(stage['rijen_per_s'] or 0, 0)} | {_nl(stage['piekgeheugen_mib'], 0)} |"
              for key, stage in pipeline["stappen"].items()]
    lines += [f"| **totaal** | | **{_nl(pipeline['seconden'])}** | "
              f"{_nl(pipeline['rijen'] / pipeline['seconden'], 0)} | "
              f"**{_nl(pipeline['piekgeheugen_mib'], 0)}** |",
              f"| vloer | DuckDB `read_csv` alleen | {_nl(floor['seconden'], 2)} | "
              f"{_nl(floor['rijen_per_s'], 0)} | |", "",
              f"Generatie (niet in de pijplijn): {_nl(results['genereren']['seconden'])} s, "
              f"piek {_nl(results['genereren']['piekgeheugen_mib'], 0)} MiB; pseudonimiseren "
              f"{_nl(results['pseudonimiseren']['seconden'])} s, piek "
              f"{_nl(results['pseudonimiseren']['piekgeheugen_mib'], 0)} MiB.", ""]
    return lines


def _dashboard_lines(dashboard: dict) -> list[str]:
    floor = dashboard["vloer"]
    lines = ["## Dashboard", "",
             f"{dashboard['gebruikers']} gelijktijdige gebruikers (rollen: "
             f"{', '.join(dashboard['rollen'])}), {dashboard['seconden']} s Locust; vloer "
             f"(triviale callback op dezelfde server): p50 {_nl(floor['p50_ms'], 0)} ms, "
             f"p95 {_nl(floor['p95_ms'], 0)} ms. Piekgeheugen gunicorn "
             f"{_nl(dashboard['piekgeheugen_mib'], 0)} MiB.", "",
             "| pagina | verzoeken | fouten | p50 ms | p95 ms | p95 ÷ vloer | koud mediaan ms "
             "| koud max ms |", "|---|--:|--:|--:|--:|--:|--:|--:|"]
    lines += [f"| `{page}` | {row['verzoeken']} | {row['fouten']} | {_nl(row['p50_ms'], 0)} | "
              f"{_nl(row['p95_ms'], 0)} | {_nl(row['p95_x_vloer'])} | "
              f"{_nl(row['koud_mediaan_ms'], 0)} | {_nl(row['koud_max_ms'], 0)} |"
              for page, row in sorted(dashboard["paginas"].items())]
    return [*lines, "", "Koud: de eerste render per rol en pagina na de start van de server "
            "(lege cache), één verzoek tegelijk.", ""]


def _holdup_lines(holdups: list[dict]) -> list[str]:
    lines = ["## Wat houdt het tegen", ""]
    if not holdups:
        return [*lines, "Alle doelen gehaald.", ""]
    for item in holdups:
        lines.append(f"**{item['doel']}**: `{item['houdt_tegen']}`"
                     + (f" ({_nl(100 * item['aandeel_pijplijn'], 0)}% van de pijplijntijd)"
                        if "aandeel_pijplijn" in item else "") + ".")
        if "in_de_workers" in item:
            busy = item["in_de_workers"]
            lines += ["", f"Ook de triviale callback wacht: vloer p95 "
                      f"{_nl(item['vloer_p95_ms'], 0)} ms. In de {item['workers']} workers kostte "
                      f"een callback p50 {_nl(busy.get('p50_ms', 0), 0)} ms, p95 "
                      f"{_nl(busy.get('p95_ms', 0), 0)} ms; de workers waren "
                      f"{_nl(100 * busy.get('bezetting', 0), 1)}% van de tijd bezig "
                      f"(gunicorn-toegangslog). Oplossing: {item['oplossing']}."]
        if "soort" in item:
            lines += ["", f"Tijd (eigen tijd van de traagste functies) vooral in "
                      f"{item['soort']} ({_nl(100 * item['aandeel'], 0)}%). "
                      f"Oplossing: {item['oplossing']}.", "",
                      "| functie | aanroepen | eigen s | cumulatief s |", "|---|--:|--:|--:|"]
            rows = item["profiel"]["eigen_tijd"] + item["profiel"]["eigen_code_cumulatief"]
            lines += [f"| `{r['functie']}` | {r['aanroepen']} | {_nl(r['eigen_s'], 2)} | "
                      f"{_nl(r['cumulatief_s'], 2)} |" for r in rows]
        lines += [f"- model `{m['model']}`: {_nl(m['seconden'])} s, {_nl(m['rijen'], 0)} rijen"
                  for m in item.get("traagste_modellen", [])]
        lines.append("")
    return lines


def markdown(results: dict) -> str:
    """The report for people; every figure is also in the JSON."""
    host = results["machine"]
    lines = [f"# make bench SCALE={results['schaal']}", "",
             f"Gemeente(n) {results['gemeente']}, factor {results['factor']}; gemeten "
             f"{results['gemeten_op']} op {host['kernen']} kernen, {_nl(host['geheugen_gib'])} GiB "
             f"({host['processor']}); belasting (load average 1/5/15 min) vooraf "
             f"{', '.join(_nl(v, 2) for v in results['belasting_voor'])}, achteraf "
             f"{', '.join(_nl(v, 2) for v in results['belasting_na'])}. Commit {host['commit']}, "
             f"Python {host['python']}, "
             + ", ".join(f"{k} {v}" for k, v in host["versies"].items()) + ".", "",
             "## Doelen (issue 15)", "", "| doel | gemeten | grens | gehaald |",
             "|---|--:|--:|---|"]
    decimals = {"×": 1, "GiB": 2, "ms": 0}
    lines += [f"| {g['doel']} | {_nl(g['gemeten'], decimals[g['eenheid']])} {g['eenheid']} | "
              f"{_nl(g['grens'], decimals[g['eenheid']])} {g['eenheid']} | "
              f"{'ja' if g['gehaald'] else '**nee**'} |" for g in results["doelen"]]
    lines += ["", *_pipeline_lines(results), *_dashboard_lines(results["dashboard"]),
              *_holdup_lines(results["houdt_tegen"])]
    return "\n".join(lines)


def write(results: dict, folder: Path) -> tuple[Path, Path]:
    """bench/<scale>.json and bench/<scale>.md in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = folder / results["schaal"]
    stem.with_suffix(".json").write_text(json.dumps(results, indent=2, ensure_ascii=False)
                                         + "\n", encoding="utf-8")
    stem.with_suffix(".md").write_text(markdown(results) + "\n", encoding="utf-8")
    return stem.with_suffix(".json"), stem.with_suffix(".md")
