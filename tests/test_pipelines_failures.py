"""Every way a run can fail stops it with a message and leaves a failed-run manifest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import pipelines.runner
from pipelines.__main__ import main
from tests.faults.landing import write_landing
from tests.fixtures import write_settings


def _manifests(root: Path) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8"))
            for p in sorted((root / "data" / "work" / "runs").glob("*.json"))]


def _run(root: Path, landing: Path) -> int:
    return main(["run", "--landing", str(landing), "--settings", str(write_settings(root))])


def test_an_empty_landing_file_stops_with_a_dutch_message_naming_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    landing = write_landing(tmp_path / "landing")
    (landing / "personen.csv").write_bytes(b"")
    assert _run(tmp_path, landing) == 1
    error = capsys.readouterr().err
    assert "FOUT: personen.csv: het bestand is leeg (0 bytes)" in error
    assert "Er is niets gepubliceerd" in error
    (manifest,) = _manifests(tmp_path)
    assert manifest["status"] == "mislukt" and "personen.csv" in manifest["fout"]
    assert not (tmp_path / "data" / "published").exists()


def test_a_missing_landing_folder_leaves_a_manifest(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(tmp_path, tmp_path / "bestaat-niet") == 1
    assert "bestaat-niet bestaat niet" in capsys.readouterr().err
    assert [m["status"] for m in _manifests(tmp_path)] == ["mislukt"]


def test_an_unexpected_error_still_leaves_a_manifest(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args, **_kwargs):
        raise RuntimeError("kapot")

    monkeypatch.setattr(pipelines.runner, "survey", broken)
    with pytest.raises(RuntimeError, match="kapot"):
        _run(tmp_path, tmp_path)
    (manifest,) = _manifests(tmp_path)
    assert manifest["status"] == "mislukt" and "kapot" in manifest["fout"]
