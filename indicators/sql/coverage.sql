-- depends: facts.fact_leerling_jaar
-- Coverage per school, bestuur and swv: the share of the pupils enrolled there on 1 oktober who
-- live in a delivering gemeente (inwoner). Youth-care and leerplicht data exist only for them.
-- {period}: the schooljaar, or one label for all schooljaren together (person-years).
WITH source AS (
    SELECT * REPLACE ({period} AS schooljaar) FROM facts.fact_leerling_jaar
)
SELECT
    schooljaar AS period,
    CASE GROUPING(vestigingscode, bevoegd_gezag, swv)
        WHEN 3 THEN 'school' WHEN 5 THEN 'bestuur' WHEN 6 THEN 'swv' END AS level,
    coalesce(vestigingscode, bevoegd_gezag, swv) AS area_code,
    (count(*) FILTER (WHERE inwoner))::DOUBLE / count(*) AS coverage
FROM source
GROUP BY GROUPING SETS (
    (schooljaar, vestigingscode),
    (schooljaar, bevoegd_gezag),
    (schooljaar, swv)
)
