-- depends: intermediate.dim_schooljaar, intermediate.int_ingeschreven_op_peildatum, intermediate.int_jeugdhulp_per_jaar, intermediate.int_persoon, intermediate.int_verzuim_per_jaar, staging.stg_personen, staging.stg_scholen
-- One row per pupil × schooljaar: enrolled on 1 oktober, placed at school (school, bestuur, swv)
-- and at home (wijk, gemeente), with every fact the pupil indicators need.
WITH pupils AS (
    SELECT j.schooljaar, j.peildatum, j.peildatum_next, j.vsv_bekend, e.*  EXCLUDE (peildatum)
    FROM intermediate.int_ingeschreven_op_peildatum AS e
    JOIN intermediate.dim_schooljaar AS j USING (peildatum)
),
enriched AS (
    SELECT
        p.schooljaar,
        p.pseudoniem,
        p.vestigingscode,
        s.brin,
        s.bevoegd_gezag,
        s.swv,
        s.school_soort,
        p.onderwijssoort,
        p.leerjaar,
        CASE WHEN p.onderwijssoort IN ('BAO', 'SBAO', 'SO') THEN 'PO'
             WHEN p.onderwijssoort LIKE 'MBO%' THEN 'MBO'
             ELSE 'VO' END AS sector,
        age_on(pe.geboortedatum, p.peildatum) AS leeftijd,
        pe.geslacht,
        home.wijkcode,
        home.gemeentecode,
        coalesce(jh.jeugdhulp, false) AS jeugdhulp,
        coalesce(jh.jeugdhulp_verblijf, false) AS jeugdhulp_verblijf,
        coalesce(jh.dyslexiezorg, false) AS dyslexiezorg,
        coalesce(vz.thuiszitter, false) AS thuiszitter,
        coalesce(vz.verzuim_relatief, false) AS verzuim_relatief,
        CASE WHEN p.vsv_bekend THEN nxt.pseudoniem IS NOT NULL END AS ingeschreven_volgend_jaar,
        coalesce(pe.startkwalificatie_datum <= p.peildatum_next, false) AS startkwalificatie,
        p.vsv_bekend,
        p.onderwijssoort IN ('SBAO', 'SO', 'VSO') AS speciaal_onderwijs
    FROM pupils AS p
    LEFT JOIN staging.stg_scholen AS s USING (vestigingscode)
    LEFT JOIN intermediate.int_persoon AS pe USING (pseudoniem)
    LEFT JOIN staging.stg_personen AS home
        ON home.pseudoniem = p.pseudoniem AND home.peildatum = p.peildatum
    LEFT JOIN intermediate.int_jeugdhulp_per_jaar AS jh
        ON jh.pseudoniem = p.pseudoniem AND jh.schooljaar = p.schooljaar
    LEFT JOIN intermediate.int_verzuim_per_jaar AS vz
        ON vz.pseudoniem = p.pseudoniem AND vz.schooljaar = p.schooljaar
    LEFT JOIN intermediate.int_ingeschreven_op_peildatum AS nxt
        ON nxt.pseudoniem = p.pseudoniem AND nxt.peildatum = p.peildatum_next
)
SELECT
    * EXCLUDE (vsv_bekend),
    -- vsv: aged 12-22, not enrolled a year later, without startkwalificatie (NULL = unknown
    -- yet, or outside the 12-22 population).
    CASE WHEN vsv_bekend AND leeftijd BETWEEN 12 AND 22
         THEN NOT ingeschreven_volgend_jaar AND NOT startkwalificatie END AS vsv
FROM enriched
