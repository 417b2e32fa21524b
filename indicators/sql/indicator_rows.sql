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
    SELECT source.*, (({value})::DOUBLE) AS waarde, r.regiocode
    FROM source LEFT JOIN regio_gemeenten AS r USING (gemeentecode)
),
placed AS (
    -- one SELECT per level (catalogue.LEVEL_COLUMNS), joined by UNION ALL
    {placed}
)
SELECT period, level, area_code,
       dense_rank() OVER (ORDER BY period, level, area_code) - 1 AS cell,
       pseudoniem IS DISTINCT FROM lag(pseudoniem) OVER (
           PARTITION BY period, level, area_code ORDER BY pseudoniem, waarde) AS new_person,
       waarde
FROM placed
-- A person's flagged row first: rows of one person with the same waarde tie on (pseudoniem,
-- waarde), and without it another of them could come first and start the person there.
ORDER BY cell, pseudoniem, new_person DESC, waarde
