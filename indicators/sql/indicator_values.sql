-- depends: facts.fact_leerling_jaar, facts.fact_inwoner_jaar, facts.fact_jeugdhulp_jaar, facts.fact_jeugdhulp_client_jaar, regio_gemeenten (regio.sql)
-- One pass over facts.{fact}: every catalogue indicator on this fact (with the same placement)
-- × level × period. Pupils and records count at their school (school, bestuur, swv) and at home
-- (wijk, gemeente, and the region when several gemeenten deliver: regio_gemeenten); an
-- indicator's `plaatsing` swaps a placement column for another fact column.
-- The period is the schooljaar, or one label for all schooljaren together: the multi-year
-- figure a small school or wijk can still show when its single years are hidden.
-- Two steps: per person and area first (their units summed), then per area; so persons are
-- counted without count(DISTINCT), which is slow in GROUPING SETS.
-- The measures are filled from indicators/catalogue.yaml (teller_sql, noemer_sql, populatie_sql).
WITH placed AS (
    SELECT * REPLACE ({period} AS schooljaar{placement}) FROM facts.{fact}
),
source AS (
    SELECT placed.*, r.regiocode
    FROM placed LEFT JOIN regio_gemeenten AS r USING (gemeentecode)
),
per_person AS (
    SELECT
        schooljaar AS period,
        placement_level(GROUPING(vestigingscode, bevoegd_gezag, swv, wijkcode, gemeentecode,
                                 regiocode)) AS level,
        coalesce(vestigingscode, bevoegd_gezag, swv, wijkcode, gemeentecode, regiocode)
            AS area_code,
        {person_measures}
    FROM source
    GROUP BY GROUPING SETS (
        (schooljaar, pseudoniem, vestigingscode),
        (schooljaar, pseudoniem, bevoegd_gezag),
        (schooljaar, pseudoniem, swv),
        (schooljaar, pseudoniem, wijkcode),
        (schooljaar, pseudoniem, gemeentecode),
        (schooljaar, pseudoniem, regiocode)
    )
)
SELECT
    period,
    level,
    area_code,
    {area_measures}
FROM per_person
GROUP BY period, level, area_code
