"""Read-only queries on the published database; every query takes the viewer's scope.

The dashboard opens nothing else: `<published>/current/monitor.duckdb`, read-only, resolved
again on every call so a new pipeline run is picked up without a restart. Results are cached
on disk (shared by the gunicorn workers) under the run id and the scope.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path

import duckdb
import pandas as pd
from cachelib import FileSystemCache

from dashboard import format as fmt
from dashboard import peers
from dashboard.roles import may_read_data_docs
from privacy.scope import SCHOOL_DESCRIPTORS, Scope
from settings import Settings


class NotPublished(Exception):
    """No pipeline run has been published yet, or none that can be read."""


HEADER_BYTES = 3 * 4096  # DuckDB's file header and two database headers, before the blocks
NOTHING_YET = "Er is nog niets gepubliceerd: draai eerst `make pipeline`."
NOTHING_GOOD = ("De gepubliceerde database is niet te lezen: {problem}. Er is geen eerdere "
                "goede versie: draai `make pipeline` opnieuw.")
FALLBACK = ("Let op: de gepubliceerde database is niet te lezen: {problem}. U ziet de laatste "
            "goede versie (run {run_id}). Meld dit aan de analist: een nieuwe pipeline-run "
            "herstelt het.")


def _damage(database: Path, size: int) -> str | None:
    """What is wrong with a DuckDB file (Dutch), or None: it opens, its blocks are all there
    (a file cut short past its header still opens) and the `runs` table reads."""
    try:
        with duckdb.connect(str(database), read_only=True) as con:
            block_size, blocks = con.execute(
                "SELECT block_size, total_blocks FROM pragma_database_size()").fetchone()
            con.execute("SELECT count(*) FROM runs").fetchall()
    except duckdb.Error as error:
        return f"beschadigd of onvolledig ({type(error).__name__})"
    expected = HEADER_BYTES + block_size * blocks
    if size < expected:
        return f"afgekapt ({fmt.number(size)} van {fmt.number(expected)} bytes)"
    return None


class Published:
    def __init__(self, settings: Settings, alias_key: bytes) -> None:
        """`alias_key`: server secret from which each run's secret peer order is derived."""
        self.root = settings.paths.published
        self.cache_folder = settings.paths.cache
        self.cache = FileSystemCache(str(self.cache_folder), threshold=2000, default_timeout=0)
        self._alias_key = alias_key
        # k of k-anonymity: what an anonymous peer shows is shared by at least k peers.
        self.k = max(2, min(50, settings.disclosure.anonymous_k))
        self._checked: dict[tuple, str | None] = {}  # file state -> problem (None: usable)

    # -- the current version ------------------------------------------------------------
    def _problem(self, version: Path) -> str | None:
        """Why `version` cannot be served (Dutch), or None; checked once per file state."""
        versions = (self.root / "versions").resolve()
        if not version.is_relative_to(versions) or version == versions:
            return "`current` wijst niet naar een map in versions/"
        database = version / "monitor.duckdb"
        try:
            stat = database.stat()
        except OSError:
            return f"versie {version.name} heeft geen monitor.duckdb"
        signature = (str(database), stat.st_ino, stat.st_size, stat.st_mtime_ns)
        if signature not in self._checked:
            self._checked[signature] = _damage(database, stat.st_size)
        problem = self._checked[signature]
        return problem and f"monitor.duckdb van versie {version.name} is {problem}"

    def state(self) -> tuple[Path, str | None]:
        """(version to serve, Dutch notice when it is not `current`); NotPublished if none."""
        current = self.root / "current"
        if not current.is_symlink() and not current.exists():
            problem = "`current` ontbreekt"
        else:
            problem = self._problem(current.resolve())
            if problem is None:
                return current.resolve(), None
        folder = self.root / "versions"
        candidates = sorted((p.resolve() for p in folder.iterdir() if p.is_dir()
                             and not p.name.startswith(".")), key=lambda p: p.name,
                            reverse=True) if folder.is_dir() else []
        for candidate in candidates:
            if self._problem(candidate) is None:
                return candidate, FALLBACK.format(problem=problem, run_id=candidate.name)
        if not candidates and problem == "`current` ontbreekt":
            raise NotPublished(NOTHING_YET)
        raise NotPublished(NOTHING_GOOD.format(problem=problem))

    def version(self) -> Path:
        return self.state()[0]

    def notice(self) -> str | None:
        """Why an older version is shown (the banner on every page); pages say when none is."""
        try:
            return self.state()[1]
        except NotPublished:
            return None

    @property
    def run_id(self) -> str:
        return self.version().name

    def data_docs(self, scope: Scope) -> Path:
        """The run's Data Docs folder; only for roles that may read them."""
        if not may_read_data_docs(scope):
            raise PermissionError("De Data Docs zijn alleen voor de analist.")
        return self.version() / "data_docs"

    def _query(self, sql: str, params: list | None = None) -> pd.DataFrame:
        with duckdb.connect(str(self.version() / "monitor.duckdb"), read_only=True) as con:
            return con.execute(sql, params or []).df()

    def mask(self, scope: Scope, frame: pd.DataFrame, order: list[str] | None = None,
              **columns: str) -> pd.DataFrame:
        """The frame as `scope` may see it; re-sorted so anonymous rows sort by alias."""
        salt = hmac.new(self._alias_key, self.run_id.encode(), hashlib.sha256).digest()
        frame = scope.mask(frame, self._schools_raw(), salt, **columns)
        return frame.sort_values(order, kind="stable", ignore_index=True) if order else frame

    def _cached(self, scope: Scope, name: str, compute, *args) -> pd.DataFrame:
        raw = json.dumps([self.run_id, scope.key, name, args], default=str)
        key = hashlib.sha256(raw.encode()).hexdigest()
        found = self.cache.get(key)
        if found is None:
            found = compute()
            self.cache.set(key, found)
        return found

    # -- tables without named schools -----------------------------------------------------
    def catalogue(self) -> pd.DataFrame:
        return self._cached(Scope("analist"), "catalogue",
                            lambda: self._query("SELECT * FROM indicators ORDER BY volgorde"))

    def periods(self) -> list[str]:
        frame = self._cached(Scope("analist"), "periods", lambda: self._query(
            "SELECT DISTINCT period FROM indicator_values ORDER BY period"))
        return frame["period"].tolist()

    def runs(self) -> pd.DataFrame:
        return self._query("SELECT * FROM runs ORDER BY finished_at DESC")

    def validation(self) -> pd.DataFrame:
        return self._query("SELECT * FROM validation_results ORDER BY success, severity, source")

    def wijk_geometry(self) -> pd.DataFrame:
        return self._cached(Scope("analist"), "geometry",
                            lambda: self._query("SELECT * FROM wijk_geometry"))

    def reference(self, indicator_id: str) -> pd.DataFrame:
        return self._query("SELECT * FROM reference_values WHERE indicator_id = ? "
                           "ORDER BY reference, period", [indicator_id])

    def period_marks(self) -> pd.DataFrame:
        """indicator_id, period, mark, toelichting: schooljaren whose figures are onvolledig
        or voorlopig. An older published database without the table has no marks."""
        def compute() -> pd.DataFrame:
            try:
                return self._query("SELECT indicator_id, period, mark, toelichting "
                                   "FROM period_marks ORDER BY indicator_id, period, mark")
            except duckdb.CatalogException:
                return pd.DataFrame(columns=["indicator_id", "period", "mark", "toelichting"])
        return self._cached(Scope("analist"), "period_marks", compute)

    def peer_groups(self) -> pd.DataFrame:
        return self._query("SELECT * FROM peer_groups ORDER BY peer_group")

    # -- scoped tables ----------------------------------------------------------------------
    def _schools_raw(self) -> pd.DataFrame:
        return self._cached(Scope("analist"), "schools_raw",
                            lambda: self._query("SELECT * FROM schools ORDER BY naam"))

    def schools(self, scope: Scope) -> pd.DataFrame:
        """Schools as the viewer may see them: others anonymous and without location."""
        def compute() -> pd.DataFrame:
            raw = self._schools_raw()
            shown = self.mask(scope, raw, code_column="vestigingscode", name_column="naam",
                               level="school")
            shown = self.mask(scope, shown, code_column="bevoegd_gezag",
                               name_column="bevoegd_gezag_naam", level="bestuur")
            anonymous = shown["vestigingscode"] != raw["vestigingscode"]
            # Soort, swv, comparison group, place or board each narrow down which school an
            # anonymous peer is (all are public in DUO), so an anonymous school shows none.
            shown.loc[anonymous, list(SCHOOL_DESCRIPTORS)] = None
            return shown.sort_values("naam", kind="stable", ignore_index=True)
        return self._cached(scope, "schools", compute)

    def values(self, scope: Scope, indicator_id: str | None = None, level: str | None = None,
               period: str | None = None, area_code: str | None = None) -> pd.DataFrame:
        def compute() -> pd.DataFrame:
            conditions, params = [], []
            for column, value in (("indicator_id", indicator_id), ("level", level),
                                  ("period", period)):
                if value is not None:
                    conditions.append(f"{column} = ?")
                    params.append(value)
            where = " AND ".join(conditions) or "true"
            frame = self._query(f"SELECT * FROM indicator_values WHERE {where} "
                                "ORDER BY indicator_id, level, area_name, period", params)
            frame = self.mask(scope, frame, ["indicator_id", "level", "area_name", "period"])
            return frame if area_code is None else frame[frame["area_code"] == area_code]
        return self._cached(scope, "values", compute, indicator_id, level, period, area_code)

    def pooled(self, scope: Scope, level: str, area_code: str | None = None) -> pd.DataFrame:
        """All schooljaren together (for one area, or every area of `level`): shown where
        single years are too small."""
        def compute() -> pd.DataFrame:
            frame = self._query("SELECT * FROM indicator_values_meerjarig WHERE level = ?",
                                [level])
            return self.mask(scope, frame)
        frame = self._cached(scope, "pooled", compute, level)
        return frame if area_code is None else frame[frame["area_code"] == area_code]

    def applicable(self) -> pd.DataFrame:
        """(school_soort, indicator_id): the indicators that can apply to a school type, as
        the published school figures show (any school of that type, any schooljaar)."""
        return self._cached(Scope("analist"), "applicable", lambda: self._query(
            "SELECT DISTINCT s.school_soort, v.indicator_id FROM indicator_values v "
            "JOIN schools s ON v.area_code = s.vestigingscode WHERE v.level = 'school'"))

    def anonymous_sizes(self, scope: Scope, level: str) -> pd.DataFrame:
        """(area_code, midden) for the anonymous peers of `level` as the viewer sees them:
        the middle of a size class of at least k peers (dashboard/peers.py)."""
        def compute() -> pd.DataFrame:
            raw = self._query("SELECT level, area_code, area_code AS area_name, "
                              "max(denominator) AS grootte FROM indicator_values "
                              "WHERE level = ? GROUP BY ALL", [level])
            shown = self.mask(scope, raw)
            anonymous = shown[shown["area_code"] != raw["area_code"]]
            return pd.DataFrame({"area_code": anonymous["area_code"], "midden":
                                 peers.size_classes(anonymous["grootte"], self.k)}).dropna()
        if level not in ("school", "bestuur") or scope.names_level(level):
            return pd.DataFrame({"area_code": [], "midden": []})
        return self._cached(scope, "anonymous_sizes", compute, level)

    def peer_group_of(self, scope: Scope) -> pd.Series:
        """Comparison group per school code as the viewer sees the code (aliases included).

        For medians over at least k schools only: never shown beside an anonymous school."""
        def compute() -> pd.DataFrame:
            raw = self._schools_raw()
            shown = self.mask(scope, raw, code_column="vestigingscode", name_column="naam",
                              level="school")
            return pd.DataFrame({"code": shown["vestigingscode"],
                                 "peer_group": raw["peer_group"]})
        frame = self._cached(scope, "peer_group_of", compute)
        return frame.set_index("code")["peer_group"]

    def targets(self, scope: Scope) -> pd.DataFrame:
        def compute() -> pd.DataFrame:
            frame = self._query("SELECT t.*, a.area_name FROM targets t LEFT JOIN "
                                "(SELECT DISTINCT level, area_code, area_name FROM areas) a "
                                "USING (level, area_code) ORDER BY doel_id, period")
            return self.mask(scope, frame)
        return self._cached(scope, "targets", compute)

    def breakdowns(self, scope: Scope, level: str, period: str, dimension: str) -> pd.DataFrame:
        def compute() -> pd.DataFrame:
            frame = self._query(
                "SELECT b.*, a.area_name FROM breakdowns b LEFT JOIN "
                "(SELECT DISTINCT level, area_code, area_name FROM areas) a "
                "USING (level, area_code) WHERE b.level = ? AND period = ? AND dimension = ? "
                "ORDER BY category, area_name", [level, period, dimension])
            return self.mask(scope, frame, ["category", "area_name"])
        return self._cached(scope, "breakdowns", compute, level, period, dimension)

    def areas(self, scope: Scope, level: str) -> pd.DataFrame:
        def compute() -> pd.DataFrame:
            frame = self._query("SELECT DISTINCT level, area_code, area_name FROM areas "
                                "WHERE level = ? ORDER BY area_name", [level])
            return self.mask(scope, frame, ["area_name"])
        return self._cached(scope, "areas", compute, level)
