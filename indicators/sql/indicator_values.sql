-- depends: facts.fact_leerling_jaar, facts.fact_inwoner_jaar, facts.fact_jeugdhulp_jaar, facts.fact_jeugdhulp_client_jaar, regio_gemeenten (regio.sql)
-- One pass over facts.{fact}: every catalogue indicator on this fact (with the same placement)
-- × level × period. Pupils and records count at their school (school, bestuur, swv) and at home
-- (wijk, gemeente, and the region when several gemeenten deliver: regio_gemeenten); an
-- indicator's `plaatsing` swaps a placement column for another fact column.
-- The period is the schooljaar, or one label for all schooljaren together: the multi-year
-- figure a small school or wijk can still show when its single years are hidden.
-- Two steps: per unit and area first, then per area; a unit is a person where a person can
-- have several rows in the period ({grouping_sets} then holds pseudoniem and one level, so
-- persons are counted without count(DISTINCT) and one level's hash table at a time must fit),
-- else a row (all levels in one pass; the second step only renames).
-- The measures are filled from indicators/catalogue.yaml (teller_sql, noemer_sql, populatie_sql).
WITH placed AS (
    SELECT * REPLACE ({period} AS schooljaar{placement}) FROM facts.{fact}
),
source AS (
    SELECT placed.*, r.regiocode
    FROM placed LEFT JOIN regio_gemeenten AS r USING (gemeentecode)
),
per_unit AS (
    SELECT
        schooljaar AS period,
        {level} AS level,
        {area_code} AS area_code,
        {unit_measures}
    FROM source
    GROUP BY GROUPING SETS ({grouping_sets})
)
SELECT
    period,
    level,
    area_code,
    {area_measures}
FROM per_unit
GROUP BY period, level, area_code
