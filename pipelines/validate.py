"""Validate every landing source with Great Expectations (1.x) and build static Data Docs.

The checks live in expectations.yaml (analyst-editable, each blocking or a warning). Columns a
check needs from other sources (BSN-like pseudonyms, link to personen, age) are computed in
DuckDB first; Great Expectations then runs on whole pandas frames, one checkpoint per source,
and writes its Data Docs site. No per-row Python loops.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import yaml

from indicators.codelists import code_lists

BLOCKING, WARNING = "blokkerend", "waarschuwing"
_SHOWN_ROWS = 5
_INDEX_COLUMNS = ("bestand", "row_nr")
VECTOR_ROWS = 2048  # rows in one DuckDB vector: batches are fetched in whole vectors
# Parts of a GX result that hold landing values; removed before results are kept or rendered.
_VALUE_KEYS = ("partial_unexpected_list", "partial_unexpected_counts", "unexpected_list",
               "unexpected_index_list", "unexpected_index_query", "observed_value",
               "details")


@dataclass(frozen=True)
class CheckResult:
    source: str
    expectation: str
    column: str
    severity: str
    success: bool
    unexpected_count: int
    details: str


def blocking_failures(results: list[CheckResult]) -> list[CheckResult]:
    return [r for r in results if not r.success and r.severity == BLOCKING]


def summarise(results: list[CheckResult]) -> str:
    """Short Dutch terminal summary: per source, then every failed check."""
    lines = []
    for source in dict.fromkeys(r.source for r in results):
        own = [r for r in results if r.source == source]
        warnings = sum(not r.success and r.severity == WARNING for r in own)
        blocking = sum(not r.success and r.severity == BLOCKING for r in own)
        lines.append(f"      {source:<16} {len(own):>3} controles, "
                     f"{sum(r.success for r in own):>3} geslaagd, {warnings} waarschuwing(en), "
                     f"{blocking} blokkerend")
    for r in results:
        if not r.success:
            label = "BLOKKEREND" if r.severity == BLOCKING else "waarschuwing"
            lines.append(f"      {label}: {r.source}.{r.column}: {r.details}")
    return "\n".join(lines)


def _expectations(source: str, spec: dict, config: dict, con: duckdb.DuckDBPyConnection,
                  min_link_rate: float) -> list[tuple]:
    """(GX expectation, severity, column, note) per check of one source."""
    import great_expectations.expectations as gxe

    made = []
    for check in spec["checks"]:
        kind, severity, note = check["kind"], check["ernst"], check.get("toelichting", "")
        meta = {"ernst": severity, "toelichting": note}
        if kind == "not_null":
            for column in check["columns"]:
                made.append((gxe.ExpectColumnValuesToNotBeNull(column=column, meta=meta),
                             severity, column, note))
            continue
        if kind == "in_set":
            values = check.get("values")
            if "codelijst" in check:
                values = list(code_lists()[check["codelijst"]])
            if "values_sql" in check:
                values = [r[0] for r in con.execute(check["values_sql"]).fetchall()]
            mostly = min_link_rate if check.get("mostly_setting") == "min_link_rate" else 1.0
            expectation = gxe.ExpectColumnValuesToBeInSet(
                column=check["column"], value_set=values or [""], mostly=mostly, meta=meta)
        elif kind == "regex":
            pattern = check.get("regex") or config["patronen"][check["patroon"]]
            expectation = gxe.ExpectColumnValuesToMatchRegex(
                column=check["column"], regex=pattern, meta=meta)
        elif kind == "between":
            expectation = gxe.ExpectColumnValuesToBeBetween(
                column=check["column"], min_value=check["min"], max_value=check["max"], meta=meta)
        elif kind == "order":
            expectation = gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A=check["high"], column_B=check["low"], or_equal=True,
                ignore_row_if="either_value_is_missing", meta=meta)
            made.append((expectation, severity, f"{check['low']} ≤ {check['high']}", note))
            continue
        elif kind == "unique":
            columns = check["columns"]
            expectation = gxe.ExpectCompoundColumnsToBeUnique(column_list=columns, meta=meta) \
                if len(columns) > 1 else gxe.ExpectColumnValuesToBeUnique(column=columns[0],
                                                                         meta=meta)
            made.append((expectation, severity, " + ".join(columns), note))
            continue
        else:
            raise ValueError(f"expectations.yaml, bron {source}: onbekende soort {kind!r}.")
        made.append((expectation, severity, check["column"], note))
    return made


def _frames(con: duckdb.DuckDBPyConnection, source: str, spec: dict,
            batch_rows: int) -> Iterator[pd.DataFrame]:
    """The source with its derived columns, in batches of at most `batch_rows` rows.

    Derived columns (links to other sources, duplicate keys) are computed once over the whole
    table in DuckDB; only the batches travel to pandas, so memory stays bounded.
    """
    derived = "".join(f", {sql} AS {name}" for name, sql in spec.get("derived", {}).items())
    columns = con.table(f"landing.{source}").columns
    numbered = ("" if "bestand" in columns else "NULL::VARCHAR AS bestand, ") \
        + ("*" if "row_nr" in columns else "row_number() OVER () AS row_nr, *")
    con.execute(f"CREATE OR REPLACE TEMP TABLE checked AS SELECT {numbered}{derived} "
                f"FROM landing.{source}")
    # One sorted pass, fetched a batch at a time (LIMIT/OFFSET would sort again per batch).
    yield from _batches(con.execute("SELECT * FROM checked ORDER BY bestand, row_nr"),
                        batch_rows)


def _batches(cursor: duckdb.DuckDBPyConnection, rows: int) -> Iterator[pd.DataFrame]:
    """The pending result in frames of `rows` rows (the last one shorter); a result without
    rows gives one empty frame, so every check still reports."""
    vectors = -(-rows // VECTOR_ROWS)  # DuckDB hands out whole vectors
    pending = cursor.fetch_df_chunk(vectors)
    while True:
        while len(pending) < rows and len(more := cursor.fetch_df_chunk(vectors)):
            pending = pd.concat([pending, more], ignore_index=True)
        yield pending.iloc[:rows].reset_index(drop=True)
        pending = pending.iloc[rows:]
        if not len(pending) and not len(pending := cursor.fetch_df_chunk(vectors)):
            return


def _merge(parts: list, mostly: float) -> tuple[bool, int, list]:
    """One verdict for a check run on several batches: counts add up, `mostly` on the total."""
    unexpected = sum(int((r.result or {}).get("unexpected_count") or 0) for r in parts)
    if mostly < 1:
        elements = sum(int((r.result or {}).get("element_count") or 0)
                       - int((r.result or {}).get("missing_count") or 0) for r in parts)
        success = elements == 0 or unexpected / elements <= 1 - mostly
    else:
        success = all(r.success for r in parts)
    return success, unexpected, [r for r in parts if not r.success] or parts


def _lines(items: list) -> tuple[str, int]:
    """'regel 2, 3' per file ('personen_GM0034.csv regel 12'); and how many were named."""
    named = [item for item in items if isinstance(item, dict) and item.get("row_nr") is not None]
    by_file: dict[str | None, list[str]] = {}
    for item in named[:_SHOWN_ROWS]:
        file = item.get("bestand")
        by_file.setdefault(file if isinstance(file, str) else None, []).append(str(item["row_nr"]))
    text = "; ".join(("" if file is None else f"{file} ") + "regel " + ", ".join(rows)
                     for file, rows in by_file.items())
    return text, len(named)


def _details(result, unexpected: int, rows: int, note: str) -> str:
    """Count, rule note and file/line numbers; never the offending values (they may be a BSN,
    a pseudonym or a script, and this text is published)."""
    info = result.result or {}
    lines, named = _lines(info.get("partial_unexpected_index_list") or [])
    parts = [f"{unexpected} van {rows} rijen" if unexpected else "niet voldaan"]
    if note:
        parts.append(note)
    if named:
        more = f" (+{unexpected - _SHOWN_ROWS})" if unexpected > _SHOWN_ROWS else ""
        parts.append(lines + more)
    return "; ".join(parts)


def _scrub(validation) -> None:
    """Remove every landing value from a validation result (kept: counts, file, line)."""
    for result in validation.results:
        info = result.result or {}
        for key in _VALUE_KEYS:
            info.pop(key, None)
        info["partial_unexpected_index_list"] = [
            {k: item[k] for k in _INDEX_COLUMNS if k in item}
            for item in info.get("partial_unexpected_index_list") or [] if isinstance(item, dict)]


def validate(con: duckdb.DuckDBPyConnection, expectations_path: Path, data_docs_dir: Path,
             min_link_rate: float, batch_rows: int = 2_000_000) -> list[CheckResult]:
    """Run every check of expectations_path on the `landing` tables; Data Docs into the folder.

    Large sources are validated in batches of `batch_rows` rows ([pipeline] validate_batch_rows).
    """
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    import great_expectations as gx

    config = yaml.safe_load(expectations_path.read_text(encoding="utf-8"))
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = {"globally": False, "metric_calculations": False}
    context.add_data_docs_site(site_name="monitor", site_config={
        "class_name": "SiteBuilder",
        "store_backend": {"class_name": "TupleFilesystemStoreBackend",
                          "base_directory": str(data_docs_dir.resolve())},
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"}})
    datasource = context.data_sources.add_pandas("landing")
    results: list[CheckResult] = []
    for source, spec in config["bronnen"].items():
        made = _expectations(source, spec, config, con, min_link_rate)
        # The whole suite in one store write (adding one by one rewrites it per expectation).
        suite = context.suites.add(gx.ExpectationSuite(
            name=source, expectations=[expectation for expectation, *_ in made]))
        batch = datasource.add_dataframe_asset(name=source) \
            .add_batch_definition_whole_dataframe(f"{source} (per blok)")
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=source, data=batch, suite=suite))
        checkpoint = context.checkpoints.add(gx.Checkpoint(
            name=f"controle {source}", validation_definitions=[definition],
            result_format={"result_format": "SUMMARY",
                           "unexpected_index_column_names": list(_INDEX_COLUMNS),
                           "partial_unexpected_count": _SHOWN_ROWS}))
        per_check: list[list] = [[] for _ in made]
        rows = 0
        for frame in _frames(con, source, spec, batch_rows):
            rows += len(frame)
            outcome = checkpoint.run(batch_parameters={"dataframe": frame})
            key, validation = next(iter(outcome.run_results.items()))
            _scrub(validation)
            context.validation_results_store.set(key, validation)
            for index, result in enumerate(_ordered(validation.results, made)):
                per_check[index].append(result)
        for (expectation, severity, column, note), parts in zip(made, per_check, strict=True):
            mostly = float(expectation.mostly) if hasattr(expectation, "mostly") else 1.0
            success, unexpected, shown = _merge(parts, mostly)
            details = "in orde" if success else _details(shown[0], unexpected, rows, note)
            results.append(CheckResult(source, expectation.expectation_type, column, severity,
                                       success, unexpected, details))
    # One Data Docs build for all sources (per-checkpoint builds re-render the whole site).
    context.build_data_docs(site_names=["monitor"])
    return results


def _ordered(results: list, made: list[tuple]) -> list:
    """GX keeps the suite's order; match on configuration to be safe."""
    remaining = list(results)
    ordered = []
    for expectation, *_ in made:
        wanted = expectation.configuration.to_json_dict()["kwargs"]
        for candidate in remaining:
            kwargs = candidate.expectation_config.kwargs
            if candidate.expectation_config.type == expectation.expectation_type and all(
                    kwargs.get(k) == v for k, v in wanted.items() if k in ("column", "column_list",
                                                                         "column_A", "column_B")):
                ordered.append(candidate)
                remaining.remove(candidate)
                break
        else:
            raise RuntimeError(f"Geen resultaat voor {expectation.expectation_type}")
    return ordered
