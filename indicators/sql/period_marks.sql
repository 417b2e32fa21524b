-- depends: staging.stg_jeugdhulp, intermediate.dim_schooljaar
-- The schooljaren whose youth-care figures carry a time mark (published as period_marks):
-- onvolledig: the first schooljaar, when the delivery lacks the records already running at its
--   start. A BIJ extract holds every record running in its period, long-running care (verblijf,
--   jeugdbescherming) that began years before included; an extract that simply starts at a
--   date holds none of it. The check: of the records open on the first 1 August, none began
--   more than a year before it.
-- voorlopig: the latest schooljaar (CBS publishes the latest BIJ year as voorlopig: records of
--   it are still delivered and corrected).
WITH bounds AS (
    SELECT min(schooljaar) AS first_year, max(schooljaar) AS last_year,
           min(start_date) AS first_start
    FROM intermediate.dim_schooljaar
),
open_at_start AS (
    SELECT count(*) AS lopend,
           count(*) FILTER (WHERE j.datum_aanvang < b.first_start - INTERVAL 1 YEAR) AS langlopend
    FROM staging.stg_jeugdhulp AS j, bounds AS b
    WHERE j.datum_aanvang < b.first_start
      AND (j.datum_einde IS NULL OR j.datum_einde >= b.first_start)
)
SELECT first_year AS period, 'onvolledig' AS mark, lopend, langlopend
FROM bounds, open_at_start WHERE langlopend = 0
UNION ALL
SELECT last_year, 'voorlopig', NULL, NULL FROM bounds
