-- One pass over facts.{fact}: every catalogue indicator on this fact × level × schooljaar.
-- Pupils and records count at their school (school, bestuur, swv) and at home (wijk, gemeente).
-- The measures are filled from indicators/catalogue.yaml (teller_sql, noemer_sql, populatie_sql).
SELECT
    schooljaar AS period,
    placement_level(GROUPING(vestigingscode, bevoegd_gezag, swv, wijkcode, gemeentecode))
        AS level,
    coalesce(vestigingscode, bevoegd_gezag, swv, wijkcode, gemeentecode) AS area_code,
    {measures}
FROM facts.{fact}
GROUP BY GROUPING SETS (
    (schooljaar, vestigingscode),
    (schooljaar, bevoegd_gezag),
    (schooljaar, swv),
    (schooljaar, wijkcode),
    (schooljaar, gemeentecode)
)
