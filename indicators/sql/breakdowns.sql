-- Jeugdhulp inzet per area and schooljaar: records, persons and costs per hulpvorm, verwijzer and
-- productcategorie, plus a 'totaal' row per dimension (the total the categories add up to).
WITH long AS (
    SELECT *, 'hulpvorm' AS dimension, hulpvorm AS category FROM facts.fact_jeugdhulp_jaar
    UNION ALL
    SELECT *, 'verwijzer', verwijzer FROM facts.fact_jeugdhulp_jaar
    UNION ALL
    SELECT *, 'productcategorie', productcategorie FROM facts.fact_jeugdhulp_jaar
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
    CASE
        WHEN GROUPING(vestigingscode) = 0 THEN 'school'
        WHEN GROUPING(bevoegd_gezag) = 0 THEN 'bestuur'
        WHEN GROUPING(swv) = 0 THEN 'swv'
        WHEN GROUPING(wijkcode) = 0 THEN 'wijk'
        ELSE 'gemeente'
    END AS level,
    coalesce(vestigingscode, bevoegd_gezag, swv, wijkcode, gemeentecode) AS area_code,
    count(*) AS count,
    count(DISTINCT pseudoniem) AS personen,
    sum(kosten)::DOUBLE AS kosten
FROM with_total
GROUP BY GROUPING SETS (
    (schooljaar, dimension, category, vestigingscode),
    (schooljaar, dimension, category, bevoegd_gezag),
    (schooljaar, dimension, category, swv),
    (schooljaar, dimension, category, wijkcode),
    (schooljaar, dimension, category, gemeentecode)
)
