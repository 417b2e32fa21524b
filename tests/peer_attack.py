"""A logged-in board tries to name the anonymous peers from everything the dashboard gives it.

The attacker knows every public fact about every school and board (DUO: name, soort, swv,
board, pupil count; here the published sizes, which are at least as precise), the covenant's
k and how the dashboard forms size classes. Through the dashboard, as its own role, it reads the
school list, every indicator's value download at school and board level, the named swv
figures and every funnel. For each anonymous alias it keeps the candidates consistent with all
of it:

- a descriptor in the school list (soort, swv, comparison group, board);
- a count, denominator or coverage in a download (it knows each school's true ones);
- the size class a funnel places the alias's value at (it redoes the classes itself);
- a named swv whose figure equals the alias's figure while it has one candidate school.

It then names each alias by a uniform guess among its candidates: the expected share named is
the mean of 1/|candidates| (0 where the truth fell out). Chance at best is 1 in k.
"""

from __future__ import annotations

import base64
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.peers import size_classes

ALIAS = re.compile(r"^(School|Bestuur) [A-Z]{1,2}$")


@dataclass
class Facts:
    """What is public about every school and board (the attacker's background knowledge)."""

    schools: pd.DataFrame  # vestigingscode, school_soort, swv, bevoegd_gezag, peer_group
    values: pd.DataFrame  # the true published rows (level, area_code, indicator_id, period, …)
    own_board: str

    def sizes(self, level: str) -> pd.Series:
        rows = self.values[self.values["level"] == level]
        return rows.groupby("area_code")["denominator"].max()

    def candidates(self, level: str) -> set[str]:
        if level == "school":
            return set(self.schools.loc[self.schools["bevoegd_gezag"] != self.own_board,
                                        "vestigingscode"])
        return set(self.schools["bevoegd_gezag"]) - {self.own_board}


def read_csv(text: str) -> pd.DataFrame:
    body = "\n".join(line for line in text.lstrip("\ufeff").splitlines()
                     if not line.startswith("#"))
    return pd.read_csv(io.StringIO(body), sep=";", decimal=",", dtype=str).fillna("")


def _number(text: str) -> float | None:
    return float(text.replace(",", ".")) if text not in ("", None) else None


def funnel_points(page: str) -> list[tuple[float, float]]:
    """(x, y) of the anonymous peers on the Check funnel in a rendered page."""
    figure = _find_graph(json.loads(page), "check-trechter-grafiek")
    points = []
    for trace in (figure or {}).get("data", []):
        if "anoniem" in str(trace.get("name", "")):
            points += list(zip(_array(trace["x"]), _array(trace["y"]), strict=True))
    return points


def _array(data) -> list[float]:
    if isinstance(data, dict):
        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"]).tolist()
    return list(data)


def _find_graph(node, graph_id: str):
    if isinstance(node, dict):
        if node.get("type") == "Graph" and node.get("props", {}).get("id") == graph_id:
            return node["props"]["figure"]
        children = node.values()
    elif isinstance(node, list):
        children = node
    else:
        return None
    for child in children:
        found = _find_graph(child, graph_id)
        if found is not None:
            return found
    return None


def attack(facts: Facts, k: int, download: Callable[[str], str],
           render: Callable[[str, str], str], indicators: list[str], periods: list[str],
           truth: dict[str, str]) -> dict[str, float]:
    """Expected share of anonymous schools and boards named, per level ('school', 'bestuur').

    `truth` (alias -> real code) is for scoring only; the attack never reads it.
    """
    candidates: dict[str, set[str]] = {}
    _descriptors(facts, read_csv(download("scholen")), candidates)
    for level in ("school", "bestuur"):
        classes = size_classes(facts.sizes(level)[
            facts.sizes(level).index.isin(facts.candidates(level))], k)
        for indicator in indicators:
            shown = read_csv(download(f"waarden|{indicator}|{level}|"))
            aliases = shown[shown["code"].str.match(ALIAS)]
            _numbers(facts, level, indicator, aliases, candidates)
            if level == "school":
                _named_areas(facts, indicator, aliases, read_csv(
                    download(f"waarden|{indicator}|swv|")), candidates)
            for period in periods:
                page = render("/check", f"?indicator={indicator}&niveau={level}"
                                        f"&schooljaar={period}")
                _classes(facts, level, aliases[aliases["schooljaar"] == period],
                         funnel_points(page), classes, candidates)
    return {level: _score(facts, level, candidates, truth) for level in ("school", "bestuur")}


def _keep(candidates: dict[str, set[str]], alias: str, allowed: set[str],
          everyone: set[str]) -> None:
    current = candidates.get(alias, everyone)
    narrowed = current & allowed
    if narrowed:  # an empty set means a coincidence misled the attacker: ignore it
        candidates[alias] = narrowed


def _descriptors(facts: Facts, listed: pd.DataFrame, candidates) -> None:
    everyone = facts.candidates("school")
    columns = {"Soort": "school_soort", "Swv": "swv", "Vergelijkingsgroep": "peer_group",
               "Bestuur": "bevoegd_gezag_naam"}
    for row in listed[listed["School"].str.match(ALIAS)].itertuples(index=False):
        for shown, column in columns.items():
            text = getattr(row, shown, "")
            if text and column in facts.schools:
                _keep(candidates, row.School, set(facts.schools.loc[
                    facts.schools[column] == text, "vestigingscode"]), everyone)


def _numbers(facts: Facts, level: str, indicator: str, aliases: pd.DataFrame,
             candidates) -> None:
    truth = facts.values[(facts.values["level"] == level)
                         & (facts.values["indicator_id"] == indicator)]
    everyone = facts.candidates(level)
    for column, true_column, digits in (("noemer", "denominator_afgerond", 0),
                                        ("teller", "numerator_afgerond", 0),
                                        ("dekking", "coverage", 3)):
        for row in aliases[aliases[column] != ""].itertuples(index=False):
            amount = round(_number(getattr(row, column)), digits)
            same = truth[(truth["period"] == row.schooljaar)
                         & (truth[true_column].round(digits) == amount)]
            _keep(candidates, row.code, set(same["area_code"]), everyone)


def _named_areas(facts: Facts, indicator: str, aliases: pd.DataFrame, swvs: pd.DataFrame,
                 candidates) -> None:
    everyone = facts.candidates("school")
    members = facts.schools[facts.schools["vestigingscode"].isin(everyone)].groupby("swv")[
        "vestigingscode"].apply(set)
    for row in aliases[aliases["waarde"] != ""].itertuples(index=False):
        same = swvs[(swvs["schooljaar"] == row.schooljaar) & (swvs["waarde"] == row.waarde)]
        for code in same["code"]:
            if len(members.get(code, set())) == 1:
                _keep(candidates, row.code, members[code], everyone)


def _classes(facts: Facts, level: str, aliases: pd.DataFrame, points, classes: pd.Series,
             candidates) -> None:
    everyone = facts.candidates(level)
    for x, y in points:
        match = aliases[[abs(_number(v) - y) < 5e-3 if v else False for v in aliases["waarde"]]]
        if len(match) == 1:
            _keep(candidates, match["code"].iat[0], set(classes[classes == x].index), everyone)


def _score(facts: Facts, level: str, candidates, truth: dict[str, str]) -> float:
    aliases = [a for a in truth if a.startswith("School" if level == "school" else "Bestuur")]
    everyone = facts.candidates(level)
    if not aliases:
        return 0.0
    named = [(1 / len(candidates.get(a, everyone))) if truth[a] in candidates.get(a, everyone)
             else 0.0 for a in aliases]
    return float(np.mean(named))
