-- depends: staging.stg_wijken, intermediate.int_swv_woongemeente
-- The region: all delivering gemeenten (those whose CBS wijken are delivered) together, one
-- row per member gemeente; no rows when only one gemeente delivers (the region would equal it).
-- Code: the member codes joined by '+' (GM0034+GM0995). Name: 'Regio ' and the member names
-- in code order ('Regio Almere, Lelystad'); when the members are exactly the home gemeenten of
-- one samenwerkingsverband (the region of an OOGO chosen by swv), 'Regio ' and the swv's name
-- ('Regio Samenwerkingsverband PO-24-01'; a PO-swv before a VO-swv). Every gemeente of the
-- country (CBS 2024, indicators/gemeenten.csv) is the region 'Nederland', code NL.
WITH members AS (
    SELECT DISTINCT 'GM' || substr(wijkcode, 3, 4) AS gemeentecode FROM staging.stg_wijken
),
named AS (
    SELECT m.gemeentecode, coalesce(n.gemeentenaam, m.gemeentecode) AS gemeentenaam
    FROM members AS m
    LEFT JOIN read_csv(getvariable('gemeenten_csv'), all_varchar = true) AS n USING (gemeentecode)
),
swv_gemeenten AS (
    SELECT swv, list_sort(list(gemeentecode)) AS gemeenten FROM (
        SELECT gemeentecode, swv_po AS swv FROM intermediate.int_swv_woongemeente
        UNION ALL
        SELECT gemeentecode, swv_vo FROM intermediate.int_swv_woongemeente
    ) WHERE swv IS NOT NULL
    GROUP BY swv
),
everywhere AS (
    SELECT count(*) AS gemeenten FROM read_csv(getvariable('gemeenten_csv'), all_varchar = true)
),
region AS (
    SELECT CASE WHEN count(*) = (SELECT gemeenten FROM everywhere) THEN 'NL'
                ELSE string_agg(gemeentecode, '+' ORDER BY gemeentecode) END AS regiocode,
           CASE WHEN count(*) = (SELECT gemeenten FROM everywhere) THEN 'Nederland' ELSE
           'Regio ' || coalesce(
               (SELECT 'Samenwerkingsverband ' || min(s.swv) FROM swv_gemeenten AS s
                WHERE s.gemeenten = (SELECT list_sort(list(gemeentecode)) FROM members)),
               string_agg(gemeentenaam, ', ' ORDER BY gemeentecode)) END AS regionaam
    FROM named
    HAVING count(*) > 1
)
SELECT m.gemeentecode, r.regiocode, r.regionaam FROM members AS m CROSS JOIN region AS r
