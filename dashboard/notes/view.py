"""Everything one viewer may see of one meeting, shared by the meeting page and the pack.

Figures come from the meeting's frozen copy, masked by the viewer's scope; suppressed cells are
shown only as their reason. Today's published figures are used only to mark what changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from dashboard import format as fmt
from dashboard.data import NotPublished, Published
from dashboard.notes import access, figures
from privacy.scope import Scope

if TYPE_CHECKING:  # the service imports this module (choices, statuses)
    from dashboard.notes.service import NotesService

QUESTIONS = ("Herkennen we deze cijfers?", "Kunnen we ze verklaren?", "Wat vinden we ervan?",
             "Wat willen we verbeteren?")
CHOICES = ("ja", "deels", "nee")
KINDS = ("OOGO", "LEA", "bestuurlijk overleg")
STATUSES = ("open", "bezig", "afgerond", "vervallen")
BLOCKS = ("Integrale blik", "Alle partners aan tafel",
          "Maatschappelijke resultaten op basis van gedeelde analyse",
          "Afspraken over de samenwerking", "Onderling vertrouwen", "Gedeeld leiderschap",
          "Lerende aanpak")
# What each block asks, in the NJi order above (a short paraphrase of the block's name for the
# meeting; the NJi's own publication gives the full text).
BLOCK_TEXTS = (
    "We kijken samen naar de hele jeugdige en het hele gezin, over onderwijs en jeugdhulp heen.",
    "De partijen die nodig zijn (gemeente, scholen, swv, jeugdhulp) doen mee en zijn er.",
    "We sturen op maatschappelijke resultaten die we samen uit de cijfers afleiden.",
    "Wie wat doet, hoe we besluiten en hoe we elkaar aanspreken, is afgesproken en bekend.",
    "We kunnen op elkaar rekenen, delen ook wat niet goed gaat en houden ons aan afspraken.",
    "Leiderschap is gedeeld: elke partij neemt verantwoordelijkheid voor het geheel.",
    "We evalueren regelmatig, leren van wat werkt en passen de aanpak daarop aan.")
SCALE = ("nog niet", "in aanzet", "deels", "grotendeels", "volledig")  # anchors of 1..5


@dataclass
class IndicatorView:
    indicator_id: str
    name: str
    unit: str
    period: str
    figures: pd.DataFrame          # chosen areas and gemeente, newest period, as shown
    trend: pd.DataFrame            # the same areas over all periods
    peers: dict[str, str]          # level -> "mediaan x (min – max), n gebieden"
    changed: pd.DataFrame          # gewijzigd sinds dit overleg
    toelichtingen: list[dict]
    answers: dict[int, dict]
    actions: list[dict]


@dataclass
class MeetingView:
    meeting: dict
    indicators: list[IndicatorView] = field(default_factory=list)
    open_before: list[dict] = field(default_factory=list)  # with "since"


def iso_day(text: str | None) -> str | None:
    """'2026-11-27' as typed in a form, or None when it is no date."""
    try:
        return date.fromisoformat((text or "").strip()).isoformat()
    except ValueError:
        return None


def target(status) -> str:
    """The target status of a frozen figure, or '–' where no target was agreed."""
    return fmt.status(status) if isinstance(status, str) else "–"


HIDDEN_NOTE = (f"{fmt.HIDDEN}: het cijfer bestaat, maar is niet getoond om kleine aantallen "
               "te beschermen (afspraken in het convenant).")


def cell(row, unit: str) -> str:
    """A figure as shown anywhere in a meeting: the value, or the one marker (HIDDEN_NOTE)."""
    if bool(row["suppressed"]):
        return fmt.HIDDEN
    return fmt.value(row["value"], unit)


def _peers(latest: pd.DataFrame, unit: str, k: int) -> dict[str, str]:
    """Per level: median and range over at least k areas (never one area's value)."""
    result = {}
    for level, part in latest[latest["level"] != "gemeente"].groupby("level"):
        values = part.loc[~part["suppressed"].astype(bool), "value"].dropna()
        if len(values) >= k:
            result[level] = (f"mediaan {fmt.value(values.median(), unit)} "
                             f"({fmt.value(values.min(), unit)} – "
                             f"{fmt.value(values.max(), unit)}), {len(values)} gebieden")
    return result


def _chosen(frame: pd.DataFrame, frozen: pd.DataFrame, areas: list[str]) -> pd.DataFrame:
    """Rows of the meeting's areas (matched on the unmasked codes) plus the gemeente."""
    keys = {tuple(a.split("|", 1)) for a in areas}
    wanted = [(lv == "gemeente") or ((lv, code) in keys)
              for lv, code in zip(frozen["level"], frozen["area_code"], strict=True)]
    return frame[wanted]


def _indicator(store: NotesService, data: Published, meeting: dict, entry: pd.Series,
               frozen: pd.DataFrame, today: pd.DataFrame, scope: Scope,
               schools: pd.DataFrame) -> IndicatorView:
    key, unit = entry.name, entry["eenheid"]
    own = frozen[frozen["indicator_id"] == key]
    period = own["period"].max() if len(own) else ""
    masked = figures.shown(own, scope, data)
    latest = masked[own["period"] == period]
    # An agenda area the viewer may not name is left out: its alias beside the meeting's
    # named parties would name it.
    named = pd.Series([access.may_read_area(scope, lv, code, schools) for lv, code in
                       zip(own["level"], own["area_code"], strict=True)], index=own.index,
                      dtype=bool)
    chosen = _chosen(masked, own, meeting["areas"])
    chosen = chosen[named[chosen.index]]
    changed = figures.changes(_chosen(own, own, meeting["areas"]), today)
    changed = changed[[access.may_read_area(scope, lv, code, schools) for lv, code in
                       zip(changed["level"], changed["area_code"], strict=True)]]
    # One set of minutes: the notes on the agenda's areas, the same on the page and the pack.
    names = dict(zip(zip(own.loc[chosen.index, "level"], own.loc[chosen.index, "area_code"],
                         strict=True), chosen["area_name"], strict=True))
    notes = [{**row, "area_name": names[(row["level"], row["area_code"])]} for row in
             access.readable(store.toelichtingen(key, period=period), scope, schools)
             if (row["level"], row["area_code"]) in names]
    return IndicatorView(
        indicator_id=key, name=entry["naam"], unit=unit, period=period,
        figures=chosen[chosen["period"] == period], trend=chosen,
        peers=_peers(latest, unit, data.k),
        changed=changed, toelichtingen=notes,
        answers={q: a for (i, q), a in store.answers(meeting["id"]).items() if i == key},
        actions=[a for a in store.actions(meeting["id"]) if a["indicator_id"] == key])


def _today(data: Published, frozen: pd.DataFrame) -> pd.DataFrame:
    try:
        return figures.today_values(data, frozen)
    except NotPublished:
        return frozen.iloc[0:0]


def build(store: NotesService, data: Published, meeting: dict, scope: Scope) -> MeetingView:
    catalogue = data.catalogue().set_index("indicator_id")
    schools = data.schools(Scope("analist"))
    frozen = figures.visible(store.frozen(meeting["id"]))
    today = _today(data, frozen)
    view = MeetingView(meeting)
    for key in meeting["indicators"]:
        if key in catalogue.index:
            view.indicators.append(_indicator(store, data, meeting, catalogue.loc[key],
                                              frozen, today, scope, schools))
    for action in store.open_actions_before(meeting):
        if not access.may_read_area(scope, action["level"], action["area_code"], schools):
            continue
        earlier = figures.visible(store.frozen(action["meeting_id"]))
        unit = catalogue["eenheid"].get(action["indicator_id"], "percentage")
        current = figures.today_values(data, earlier) if len(earlier) else earlier
        view.open_before.append({**action, "naam": catalogue["naam"].get(
            action["indicator_id"], action["indicator_id"]),
            "since": figures.since(earlier, current, action, unit)})
    return view
