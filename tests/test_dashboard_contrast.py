"""WCAG 2.1 AA: every text colour the dashboard uses reaches 4.5:1 on its background."""

from __future__ import annotations

import re

import pytest

from dashboard.app import PACKAGE
from dashboard.components import charts

CSS = (PACKAGE / "assets" / "style.css").read_text(encoding="utf-8")
VARIABLES = dict(re.findall(r"--(\w+):\s*(#[0-9a-fA-F]{6})", CSS))


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    light, dark = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("name", ["blauw", "oranje", "groen", "rood", "grijs"])
def test_theme_colours_are_readable_as_text_on_white_and_behind_white_text(name: str) -> None:
    # Used as link/heading text on white and as badge background behind white text.
    assert contrast(VARIABLES[name], "#ffffff") >= 4.5, name


@pytest.mark.parametrize("colour", [charts.BLUE, charts.ORANGE, charts.GREY, charts.GREEN,
                                    charts.RED, charts.PURPLE, charts.HIDDEN_GREY])
def test_chart_colours_stand_out_against_the_white_plot_area(colour: str) -> None:
    # Lines and markers are graphical objects: WCAG 1.4.11 asks 3:1.
    assert contrast(colour, "#ffffff") >= 3.0, colour


def test_the_contrast_formula_matches_the_wcag_reference_values() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
