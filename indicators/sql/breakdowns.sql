-- depends: facts.fact_jeugdhulp_jaar, regio_gemeenten (regio.sql)
-- Jeugdhulp inzet per area and schooljaar: records started in the schooljaar, persons and costs
-- per hulpvorm, verwijzer and productcategorie, plus a 'totaal' row per dimension (the total the
-- categories add up to).
WITH started AS (
    SELECT f.*, r.regiocode,
           CASE f.productcategorie WHEN '48' THEN 'JB' WHEN '47' THEN 'JR' END AS jbjr
    FROM facts.fact_jeugdhulp_jaar AS f LEFT JOIN regio_gemeenten AS r USING (gemeentecode)
    WHERE f.gestart
),
-- Jeugdbescherming (48) and jeugdreclassering (47) are no jeugdhulp (CBS): their own category
-- in every dimension, not the hulpvorm and verwijzer their records carry.
long AS (
    SELECT *, 'hulpvorm' AS dimension, coalesce(jbjr, hulpvorm) AS category FROM started
    UNION ALL
    SELECT *, 'verwijzer', coalesce(jbjr, verwijzer) FROM started
    UNION ALL
    SELECT *, 'productcategorie', productcategorie FROM started
),
with_total AS (
    SELECT * FROM long
    UNION ALL
    SELECT * REPLACE ('totaal' AS category) FROM long
)
SELECT
    schooljaar AS period,
    dimension,
    category,
    placement_level(GROUPING(vestigingscode, bevoegd_gezag, swv, wijkcode, gemeentecode,
                             regiocode)) AS level,
    CASE WHEN GROUPING(vestigingscode, swv) = 0 THEN vestigingscode || '|' || swv
         ELSE coalesce(vestigingscode, bevoegd_gezag, swv, wijkcode, gemeentecode, regiocode)
    END AS area_code,
    count(*) AS count,
    count(DISTINCT pseudoniem) AS personen,
    sum(kosten)::DOUBLE AS kosten
FROM with_total
GROUP BY GROUPING SETS (
    (schooljaar, dimension, category, vestigingscode),
    (schooljaar, dimension, category, bevoegd_gezag),
    (schooljaar, dimension, category, swv),
    (schooljaar, dimension, category, wijkcode),
    (schooljaar, dimension, category, gemeentecode),
    (schooljaar, dimension, category, regiocode),
    -- a school's part in one swv (unpublished, for disclosure control: school_part_breakdowns)
    (schooljaar, dimension, category, vestigingscode, swv)
)
