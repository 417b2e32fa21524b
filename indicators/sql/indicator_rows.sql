-- depends: facts.{fact}, regio_gemeenten (regio.sql)
-- The population rows of one indicator per placement, for statistics that need every value
-- (bootstrap of a mean, the median): period, level, area_code, then per row its cell number
-- (in cell order), whether it starts a person (rows sorted by cell, person, value) and waarde.
-- The statistics read only the last three, as arrays: no pseudonyms or area codes per row.
-- Filled like indicator_values.sql; {population} and {value} come from the catalogue.
WITH source AS (
    SELECT * REPLACE ({period} AS schooljaar{placement}) FROM facts.{fact}
    WHERE {population}
),
rows AS (
    SELECT schooljaar, pseudoniem, (({value})::DOUBLE) AS waarde,
           vestigingscode, bevoegd_gezag, swv, wijkcode, gemeentecode, r.regiocode
    FROM source LEFT JOIN regio_gemeenten AS r USING (gemeentecode)
),
placed AS (
    SELECT schooljaar AS period, 'school' AS level, vestigingscode AS area_code, pseudoniem,
           waarde
    FROM rows WHERE vestigingscode IS NOT NULL
    UNION ALL
    SELECT schooljaar, 'bestuur', bevoegd_gezag, pseudoniem, waarde FROM rows
    WHERE bevoegd_gezag IS NOT NULL
    UNION ALL
    SELECT schooljaar, 'swv', swv, pseudoniem, waarde FROM rows WHERE swv IS NOT NULL
    UNION ALL
    SELECT schooljaar, 'wijk', wijkcode, pseudoniem, waarde FROM rows WHERE wijkcode IS NOT NULL
    UNION ALL
    SELECT schooljaar, 'gemeente', gemeentecode, pseudoniem, waarde FROM rows
    WHERE gemeentecode IS NOT NULL
    UNION ALL
    SELECT schooljaar, 'regio', regiocode, pseudoniem, waarde FROM rows WHERE regiocode IS NOT NULL
)
SELECT period, level, area_code,
       dense_rank() OVER (ORDER BY period, level, area_code) - 1 AS cell,
       pseudoniem IS DISTINCT FROM lag(pseudoniem) OVER (
           PARTITION BY period, level, area_code ORDER BY pseudoniem, waarde) AS new_person,
       waarde
FROM placed
ORDER BY cell, pseudoniem, waarde
