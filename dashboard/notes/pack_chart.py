"""The pack's chart of one indicator on paper: a line per area over the schooljaren, with axes,
the years, the 95% intervals, the target trajectory and a legend; colours and line styles
differ, so the lines are told apart in grey print too. Plain SVG from numbers only."""

from __future__ import annotations

import math

import pandas as pd
from markupsafe import Markup, escape

from dashboard import format as fmt

WIDTH, HEIGHT = 640, 250
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 40
# Colour and dash pattern per line (AA contrast on white; distinct also without colour).
STYLES = (("#1f4e79", ""), ("#b35900", "7 4"), ("#2e6b30", "2 3"), ("#5c2d91", "9 3 2 3"),
          ("#00607a", "4 2"), ("#7a5c00", "1 2"))
TARGET = ("#a4262c", "10 4")


def _ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high]."""
    span = (high - low) or abs(high) or 1.0
    raw = span / (count - 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    return [start + i * step for i in range(int(math.ceil((high - start) / step)) + 1)]


def _line(points: list[tuple[float, float]], colour: str, dash: str, width: float = 2.5) -> str:
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    return (f'<polyline fill="none" stroke="{colour}" stroke-width="{width}"{dashed} '
            f'points="{path}"/>')


def _legend(entries: list[tuple[str, str, str]], top: float) -> list[str]:
    """One line per (name, colour, dash) from `top` down: long area names fit."""
    return [_line([(LEFT, top + index * 15 - 4), (LEFT + 28, top + index * 15 - 4)], colour,
                  dash) + f'<text x="{LEFT + 34:.0f}" y="{top + index * 15:.0f}">'
            f'{escape(name[:80])}</text>' for index, (name, colour, dash) in enumerate(entries)]


def chart(trend: pd.DataFrame, unit: str, title: str) -> Markup:
    """SVG of every visible area line of `trend` (meeting view) with target and intervals."""
    shown = trend[~trend["suppressed"].astype(bool)].dropna(subset=["value"])
    periods = sorted(trend["period"].unique())
    if shown.empty or not periods:
        return Markup("")
    target = trend[trend["level"] == "gemeente"].dropna(subset=["trajectory_value"])
    amounts = pd.concat([shown["value"], shown["ci_low"].dropna(), shown["ci_high"].dropna(),
                         target["trajectory_value"]])
    ticks = _ticks(min(0.0, amounts.min()), amounts.max())
    low, high = ticks[0], ticks[-1]
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = inner_w / max(len(periods), 1)

    def x(period: str) -> float:
        return LEFT + step * (periods.index(period) + 0.5)

    def y(amount: float) -> float:
        return TOP + inner_h - (amount - low) / ((high - low) or 1) * inner_h

    parts = [f'<line x1="{LEFT}" y1="{TOP + inner_h}" x2="{WIDTH - RIGHT}" '
             f'y2="{TOP + inner_h}" stroke="#333"/>',
             f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + inner_h}" stroke="#333"/>']
    for tick in ticks:
        parts.append(f'<line x1="{LEFT}" y1="{y(tick):.1f}" x2="{WIDTH - RIGHT}" '
                     f'y2="{y(tick):.1f}" stroke="#ddd"/>'
                     f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">'
                     f'{escape(fmt.number(tick, 0 if unit == "euro" else 1))}</text>')
    for period in periods:
        parts.append(f'<text x="{x(period):.1f}" y="{TOP + inner_h + 16}" '
                     f'text-anchor="middle">{escape(period)}</text>')
    parts.append(f'<text x="14" y="{TOP + inner_h / 2:.0f}" text-anchor="middle" '
                 f'transform="rotate(-90 14 {TOP + inner_h / 2:.0f})">'
                 f'{escape(fmt.unit_label(unit))}</text>')
    legend = []
    for index, (name, part) in enumerate(shown.groupby("area_name", sort=False)):
        colour, dash = STYLES[index % len(STYLES)]
        part = part.sort_values("period")
        for row in part.dropna(subset=["ci_low", "ci_high"]).itertuples():
            parts.append(f'<line x1="{x(row.period):.1f}" y1="{y(row.ci_low):.1f}" '
                         f'x2="{x(row.period):.1f}" y2="{y(row.ci_high):.1f}" '
                         f'stroke="{colour}" stroke-width="1"/>')
        points = [(x(p), y(v)) for p, v in zip(part["period"], part["value"], strict=True)]
        parts.append(_line(points, colour, dash))
        parts.extend(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="{colour}"/>'
                     for px, py in points)
        legend.append((str(name), colour, dash))
    if len(target):
        target = target.sort_values("period")
        parts.append(_line([(x(p), y(v)) for p, v in zip(
            target["period"], target["trajectory_value"], strict=True)], *TARGET, width=2))
        legend.append(("doel-traject", *TARGET))
    legend.append(("95%-interval (verticale streep)", "#333", ""))
    parts.extend(_legend(legend, TOP + inner_h + 34))
    height = TOP + inner_h + 40 + len(legend) * 15
    return Markup(f'<svg class="grafiek" viewBox="0 0 {WIDTH} {height}" role="img" '
                  f'aria-label="{escape(title)}" font-size="11" '
                  f'font-family="DejaVu Sans, sans-serif">{"".join(parts)}</svg>')
