-- depends: staging.stg_scholen, staging.stg_wijken, regio_gemeenten (regio.sql)
-- The published area hierarchy: school -> bestuur, school -> swv, wijk -> gemeente, and
-- gemeente -> regio when several gemeenten deliver (else the gemeente has no parent).
-- hbo/wo instellingen are in the register (their enrolments count as 'ingeschreven') but no
-- figure is placed there: not published as school or bestuur.
WITH schools AS (SELECT * FROM staging.stg_scholen WHERE school_soort NOT IN ('HBO', 'WO')),
-- A school belongs to the swv of each sector it teaches; one in both (SO/VSO) to both, its SO
-- part to the PO-swv and its VSO part to the VO-swv (swv_for(); the parts: school_parts.sql).
schools_swv AS (
    SELECT *, swv_po AS member_swv FROM schools WHERE swv_po IS NOT NULL
    UNION ALL
    SELECT *, swv_vo FROM schools WHERE swv_vo IS NOT NULL
),
gemeenten AS (
    SELECT DISTINCT 'GM' || substr(wijkcode, 3, 4) AS gemeentecode FROM staging.stg_wijken
)
SELECT 'school' AS level, vestigingscode AS area_code, naam AS area_name,
       'bestuur' AS parent_level, bevoegd_gezag AS parent_code FROM schools
UNION ALL
SELECT 'school', vestigingscode, naam, 'swv', member_swv FROM schools_swv
UNION ALL
-- One name per bevoegd gezag, also when schools deliver it differently: the same every run.
SELECT 'bestuur', bevoegd_gezag, min(bevoegd_gezag_naam), NULL, NULL FROM schools
GROUP BY bevoegd_gezag
UNION ALL
-- An swv is named with the gemeente(n) of its schools, so a reader knows it without its code:
-- 'Samenwerkingsverband PO-24-16 (Almere)'; gemeenten without a known name are left out.
SELECT 'swv', s.member_swv, 'Samenwerkingsverband ' || s.member_swv || coalesce(
           ' (' || string_agg(DISTINCT n.gemeentenaam, ', ' ORDER BY n.gemeentenaam) || ')', ''),
       NULL, NULL
FROM schools_swv AS s
LEFT JOIN read_csv(getvariable('gemeenten_csv'), all_varchar = true) AS n USING (gemeentecode)
WHERE s.member_swv IS NOT NULL
GROUP BY s.member_swv
UNION ALL
SELECT 'wijk', wijkcode, wijknaam, 'gemeente', 'GM' || substr(wijkcode, 3, 4) FROM staging.stg_wijken
UNION ALL
SELECT 'gemeente', g.gemeentecode, coalesce(n.gemeentenaam, g.gemeentecode),
       CASE WHEN r.regiocode IS NOT NULL THEN 'regio' END, r.regiocode
FROM gemeenten AS g
LEFT JOIN read_csv(getvariable('gemeenten_csv'), all_varchar = true) AS n USING (gemeentecode)
LEFT JOIN regio_gemeenten AS r USING (gemeentecode)
UNION ALL
SELECT DISTINCT 'regio', regiocode, regionaam, NULL, NULL FROM regio_gemeenten
