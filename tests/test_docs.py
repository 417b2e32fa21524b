"""A clone is complete: no file refers to a document that is not in the repository.

Checked in every file git knows (tracked or new, not ignored): markdown links `[text](path)`,
paths of markdown documents (`docs/runbook.md`; outside markdown only with a folder), and the
design documents that used to live outside the repository. The README stays short.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from settings import PROJECT_ROOT

# Documents of the old shared folder; the same facts now live in docs/.
OUTSIDE = re.compile(r"\b(?:DESIGN|DOMAIN|ENGINEERING)\.md\b|\.\./shared\b|/work/shared\b")
LINK = re.compile(r"\[[^\]\n]*\]\(([^)\s]+)\)")
MD_PATH = re.compile(r"(?<![\w/.<$-])((?:[\w.-]+/)*[\w-]+\.md)\b")
SKIP_SUFFIXES = {".csv", ".geojson", ".json", ".png", ".ico", ".woff", ".woff2", ".parquet"}
# Pages written at the same time on other branches (issues 23, 24, 25, 27); each is checked
# like every other document as soon as it exists.
WRITTEN_ELSEWHERE = {"docs/disclosure.md", "docs/definitions.md", "docs/dashboard.md",
                     "docs/security.md", "docs/deployment.md"}
THIS_FILE = Path(__file__).resolve()


def repository_files() -> list[Path]:
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"],
                            cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    files = (PROJECT_ROOT / line for line in listed.stdout.splitlines())
    return sorted(path for path in files if path.is_file()
                  and path.suffix not in SKIP_SUFFIXES and path.resolve() != THIS_FILE)


def _text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None


def _exists(target: str, beside: Path) -> bool:
    target = target.split("#", 1)[0]
    if not target:
        return True
    for base in (beside.parent, PROJECT_ROOT):
        resolved = (base / target).resolve()
        if resolved.is_relative_to(PROJECT_ROOT) and resolved.exists():
            return True
    return str((beside.parent / target).resolve().relative_to(PROJECT_ROOT)) in \
        WRITTEN_ELSEWHERE or target in WRITTEN_ELSEWHERE


def broken_references(path: Path, text: str) -> list[str]:
    """What `text` (the content of `path`) refers to that is not in the repository."""
    found = [f"{match.group(0)} (buiten de repository)" for match in OUTSIDE.finditer(text)]
    links = [m.group(1) for m in LINK.finditer(text)] if path.suffix == ".md" else []
    for target in links:
        if not re.match(r"[a-z]+:", target) and not _exists(target, path):
            found.append(target)
    for match in MD_PATH.finditer(text):
        # Outside markdown, a bare name ("settings.md") is usually a file a program writes.
        if "/" not in match.group(1) and path.suffix != ".md":
            continue
        if not OUTSIDE.fullmatch(match.group(1)) and not _exists(match.group(1), path):
            found.append(match.group(1))
    return list(dict.fromkeys(found))


def test_no_file_refers_to_a_document_that_is_not_in_the_repository() -> None:
    problems = {}
    for path in repository_files():
        text = _text(path)
        if text is not None and (broken := broken_references(path, text)):
            problems[str(path.relative_to(PROJECT_ROOT))] = sorted(set(broken))
    assert not problems, f"verwijzingen naar documenten die er niet zijn: {problems}"


@pytest.mark.parametrize(("text", "broken"), [
    ("zie DESIGN.md §3", ["DESIGN.md (buiten de repository)"]),
    ("de bereiken van `DOMAIN.md`", ["DOMAIN.md (buiten de repository)"]),
    ("cat ../shared/reference/x.csv", ["../shared (buiten de repository)"]),
    ("[de runbook](docs/runbook.md) en [weg](docs/bestaat-niet.md)", ["docs/bestaat-niet.md"]),
    ("zie `docs/verdwenen.md` en bench/gemeente.md", ["docs/verdwenen.md"]),
    ("[extern](https://example.org/a.md) [anker](#wat-als)", []),
])
def test_the_check_finds_what_points_outside(text: str, broken: list[str]) -> None:
    assert broken_references(PROJECT_ROOT / "README.md", text) == broken


def test_the_readme_is_short_and_points_to_the_docs() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 150
    for command in ("make run", "make test", "http://127.0.0.1:8050", "docs/README.md"):
        assert command in readme
