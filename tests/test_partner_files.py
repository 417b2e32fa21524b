"""One reading of partner files: the pseudonymiser and the loader agree on every file and BSN."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipelines.sql_runner import install_macros
from privacy.bsn import is_valid_bsn, normalise_bsn
from privacy.delivery import DeliveryError, read_dialect

# (value, looks like a BSN): 9 digits, 8 digits whose leading 0 Excel dropped, and near misses.
BSN_CASES = [
    ("111222333", True), ("123456782", True), ("012345672", True), ("12345672", True),
    ("999999990", True), ("123456789", False), ("12345678", False), ("1234567", False),
    ("1112223330", False), ("11122233a", False), ("111 222 333", True), ("111.222.333", True),
    (" 111222333 ", True), ("", False), ("000000000", True), ("١١١٢٢٢٣٣٣", False),
    ("a" * 64, False),
]


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    install_macros(connection)
    return connection


@pytest.mark.parametrize(("value", "expected"), BSN_CASES)
def test_sql_and_python_elfproef_agree(con, value: str, expected: bool) -> None:
    """The pipeline's leak check (SQL is_bsn) and the pseudonymiser's BSN test are one rule."""
    python = is_valid_bsn(normalise_bsn(value))
    sql = con.execute("SELECT is_bsn(?)", [value]).fetchone()[0]
    assert (python, sql) == (expected, expected)


@pytest.mark.parametrize(("content", "encoding", "delimiter", "line_end"), [
    (b"a;b,c\r\nx;y\r\n", "utf-8", ";", "\r\n"),          # a tie goes to ';'
    (b"a,b,c;d\nx\n", "utf-8", ",", "\n"),
    (b"\xef\xbb\xbfBSN;naam\r\n1;Caf\xc3\xa9\r\n", "utf-8-sig", ";", "\r\n"),
    (b"bsn;naam\n1;Caf\xe9 \x92t Hoekje\n", "cp1252", ";", "\n"),
])
def test_encoding_delimiter_and_header_are_detected_once_for_both_readers(
        tmp_path: Path, content: bytes, encoding: str, delimiter: str, line_end: str) -> None:
    path = tmp_path / "bron.csv"
    path.write_bytes(content)
    dialect = read_dialect(path)
    assert (dialect.encoding, dialect.delimiter, dialect.line_end) == (encoding, delimiter,
                                                                       line_end)
    assert dialect.header[0].lower() in ("a", "bsn")


def test_an_empty_file_is_refused_by_name(tmp_path: Path) -> None:
    (tmp_path / "leeg.csv").write_bytes(b"")
    with pytest.raises(DeliveryError, match=r"leeg\.csv: het bestand is leeg \(0 bytes\)"):
        read_dialect(tmp_path / "leeg.csv")
