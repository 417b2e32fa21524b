"""Anonymous peers must not betray the school: secret letters, no size, sorted by alias."""

from __future__ import annotations

import pandas as pd

from privacy.scope import Scope, named_schools

CODES = [f"{n:02d}AB00" for n in range(1, 41)]


def _schools() -> pd.DataFrame:
    return pd.DataFrame({
        "vestigingscode": CODES,
        "naam": [f"Basisschool {chr(65 + i % 26)}{i}" for i in range(len(CODES))],
        "bevoegd_gezag": ["1"] * 2 + [str(10 + i) for i in range(len(CODES) - 2)],
        "bevoegd_gezag_naam": ["Eigen bestuur"] * 2 + [f"Bestuur {i}" for i in
                                                       range(len(CODES) - 2)],
    })


def _values(schools: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "level": "school", "area_code": schools["vestigingscode"], "area_name": schools["naam"],
        "value": 10.0, "denominator": range(100, 100 + len(schools)),
        "numerator": 10, "ci_low": 5.0, "ci_high": 15.0,
        "denominator_afgerond": 100, "numerator_afgerond": 10,
    })


def test_anonymous_letters_follow_a_secret_order_that_changes_per_run() -> None:
    schools, board = _schools(), Scope("bestuur", "1")
    first = board.aliases(schools, b"run-1")
    second = board.aliases(schools, b"run-2")
    others = CODES[2:]
    by_letter = sorted(others, key=lambda c: (len(first[("school", c)]), first[("school", c)]))
    assert by_letter != others and by_letter != sorted(others, reverse=True)
    assert [first[("school", c)] for c in others] != [second[("school", c)] for c in others]
    assert board.aliases(schools, b"run-1") == first  # stable within one run
    assert first[("school", CODES[0])] == schools["naam"][0]  # own school keeps its name


def test_anonymous_rows_show_no_code_and_nothing_that_gives_their_size() -> None:
    schools = _schools()
    shown = Scope("bestuur", "1").mask(_values(schools), schools, b"run-1")
    anonymous = shown.iloc[2:]
    assert not set(anonymous["area_code"]) & set(CODES)
    assert not set(anonymous["area_name"]) & set(schools["naam"])
    for column in ("denominator", "numerator", "ci_low", "ci_high", "denominator_afgerond",
                   "numerator_afgerond"):
        assert anonymous[column].isna().all(), column
        assert shown[column].iloc[:2].notna().all(), column
    assert anonymous["value"].notna().all()


def test_the_analyst_and_peers_by_name_see_everything() -> None:
    schools = _schools()
    for scope in (Scope("analist"), Scope("bestuur", "1", peers_by_name=True)):
        shown = scope.mask(_values(schools), schools, b"run-1")
        assert shown["area_code"].tolist() == CODES
        assert shown["denominator"].notna().all()


def test_oogo_partners_see_besturen_by_name_but_no_school() -> None:
    schools = _schools()
    boards = pd.DataFrame({"level": "bestuur", "area_code": schools["bevoegd_gezag"],
                           "area_name": schools["bevoegd_gezag_naam"], "value": 1.0,
                           "denominator": 50})
    oogo = Scope("oogo")
    assert oogo.mask(boards, schools, b"run-1")["area_name"].tolist() == \
        schools["bevoegd_gezag_naam"].tolist()
    shown = oogo.mask(_values(schools), schools, b"run-1")
    assert not set(shown["area_name"]) & set(schools["naam"])


def test_after_masking_only_the_schools_the_viewer_may_name_count_as_named() -> None:
    schools = _schools()
    masked = Scope("bestuur", "1").mask(_values(schools), schools, b"run")
    assert named_schools(masked["area_code"]).tolist() == [True, True] + [False] * 38
    everyone = Scope("analist").mask(_values(schools), schools, b"run")
    assert named_schools(everyone["area_code"]).all()
