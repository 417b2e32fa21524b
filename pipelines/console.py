"""What the analyst sees in the terminal during a run: stages, rows, seconds, a summary."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

from pipelines.load import LoadedSource
from pipelines.sql_runner import ModelResult

STAGES = ("Inlezen", "Controleren", "Koppelen", "Indicatoren", "Onthullingsbeheer", "Doelen",
          "Publiceren")
INDENT = "      "


def nl(number: float, decimals: int = 0) -> str:
    """Dutch separators: 54.064 and 17,3."""
    text = f"{number:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


class Console:
    """Progress lines per stage, file and model; `echo` is print unless a test captures it."""

    def __init__(self, echo: Callable[..., None] = print) -> None:
        self.echo = echo
        self.stage_began = time.monotonic()

    def line(self, text: str) -> None:
        self.echo(text, flush=True)

    def stage(self, number: int) -> None:
        self.stage_began = time.monotonic()
        self.line(f"[{number}/{len(STAGES)}] {STAGES[number - 1]}")

    def done(self, text: str) -> None:
        self.line(f"{INDENT}{text} ({nl(time.monotonic() - self.stage_began, 1)} s)")

    def share_done(self, what: str) -> Callable[[int, int], None]:
        """A progress callback (done, total) that prints each further tenth of `what`."""
        printed = [0]

        def report(done: int, total: int) -> None:
            tenths = 10 * done // max(total, 1)
            if tenths > printed[0] and done < total:
                printed[0] = tenths
                self.line(f"{INDENT}{what}: {tenths * 10}% "
                          f"({nl(time.monotonic() - self.stage_began, 1)} s)")
        return report

    def warning(self, text: str) -> None:
        self.line(f"{INDENT}waarschuwing: {text}")

    def source(self, source: LoadedSource) -> None:
        quarantined = f", {nl(source.quarantined)} in quarantaine" if source.quarantined else ""
        self.line(f"{INDENT}{source.file:<22} {nl(source.rows):>12} rijen{quarantined}")
        for warning in source.warnings:
            self.warning(warning)

    def model(self, result: ModelResult) -> None:
        self.line(f"{INDENT}{result.table:<42} {nl(result.rows):>12} rijen "
                  f"({nl(result.seconds, 1)} s)")


def summary(manifest: dict, sources: list[LoadedSource], status: str, seconds: float) -> str:
    """The closing block: status, sources, checks, schooljaren, hidden cells."""
    lines = ["", "=" * 72, f"Pijplijnrun {manifest['run_id']}: {status} in {nl(seconds, 1)} s"]
    if sources:
        rows = sum(s.rows for s in sources)
        quarantined = sum(s.quarantined for s in sources)
        lines.append(f"Bronnen: {len(sources)} bestanden, {nl(rows)} rijen, "
                     f"{nl(quarantined)} in quarantaine")
    if manifest.get("validation"):
        v = manifest["validation"]
        lines.append(f"Controles: {v['controles']} uitgevoerd, {v['geslaagd']} geslaagd, "
                     f"{v['waarschuwingen']} waarschuwingen, {v['blokkerend']} blokkerend")
    if "schooljaren" in manifest:
        last = dt.date.fromisoformat(manifest["gegevens_tot_en_met"])
        lines.append(f"Schooljaren: {', '.join(manifest['schooljaren'])}; gegevens "
                     f"tot en met {last:%d-%m-%Y}")
    if "onderdrukt" in manifest:
        lines += _hidden_lines(manifest["onderdrukt"])
    lines.append("=" * 72)
    return "\n".join(lines)


def _hidden_lines(hidden: dict) -> list[str]:
    """Cells hidden per level and reason, and what the solver's budget added."""
    lines = [f"Niet zichtbaar (afgeschermd): {nl(hidden['indicator_values'])} cellen"]
    lines += [f"  {level}: {nl(n['afgeschermd'])} afgeschermd van {nl(n['cellen'])}"
              for level, n in hidden.get("per_niveau", {}).items()]
    if hidden.get("bevroren") or hidden.get("bekend_uit_vorige"):
        lines.append(f"  naast de vorige publicatie: {nl(hidden['bevroren'])} cellen blijven "
                     f"verborgen, {nl(hidden['bekend_uit_vorige'])} ongewijzigd getoond")
    if "milp_componenten" in hidden:
        unproven = hidden.get("milp_niet_bewezen", 0)
        lines.append(f"  secundaire onderdrukking: {nl(hidden['milp_componenten'])} componenten "
                     f"optimaal (MILP)"
                     + (f", {nl(unproven)} met MILP zonder bewijs van optimaliteit"
                        if unproven else "")
                     + f", {nl(hidden['heuristiek_componenten'])} met de heuristiek")
    if hidden.get("budget_cellen"):
        lines.append(f"  rekenbudget (lp_budget) op: {nl(hidden['budget_cellen'])} "
                     f"cellen extra verborgen")
    return lines
