-- depends: staging.stg_scholen, facts.fact_leerling_jaar, intermediate.dim_schooljaar
-- Every school of the register with its pupils on 1 oktober of the latest schooljaar (for the
-- peer group's size class). hbo/wo instellingen are left out: no figure is placed there.
SELECT s.vestigingscode, s.brin, s.naam, s.school_soort, s.bevoegd_gezag,
       s.bevoegd_gezag_naam, s.swv, s.wijkcode, s.lon, s.lat, count(f.pseudoniem) AS n
FROM staging.stg_scholen AS s
LEFT JOIN facts.fact_leerling_jaar AS f
    ON f.vestigingscode = s.vestigingscode
    AND f.schooljaar = (SELECT max(schooljaar) FROM intermediate.dim_schooljaar)
WHERE s.school_soort NOT IN ('HBO', 'WO')
GROUP BY ALL
ORDER BY s.vestigingscode
