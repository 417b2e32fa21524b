-- depends: intermediate.dim_schooljaar, intermediate.int_jeugdhulp_per_jaar, intermediate.int_laatste_school, intermediate.int_persoon, staging.stg_personen, staging.stg_scholen
-- One row per resident × schooljaar (personen on the peildatum), placed at home and at the
-- school of their latest enrolment (NULL when never enrolled).
SELECT
    j.schooljaar,
    h.pseudoniem,
    age_on(h.geboortedatum, h.peildatum) AS leeftijd,
    h.geslacht,
    h.postcode,
    h.wijkcode,
    h.gemeentecode,
    coalesce(pe.startkwalificatie_datum <= j.peildatum, false) AS startkwalificatie,
    coalesce(jh.jeugdhulp, false) AS jeugdhulp,
    coalesce(jh.jeugdhulp_verblijf, false) AS jeugdhulp_verblijf,
    ls.vestigingscode,
    s.brin,
    s.bevoegd_gezag,
    s.swv
FROM staging.stg_personen AS h
JOIN intermediate.dim_schooljaar AS j USING (peildatum)
LEFT JOIN intermediate.int_persoon AS pe USING (pseudoniem)
LEFT JOIN intermediate.int_jeugdhulp_per_jaar AS jh
    ON jh.pseudoniem = h.pseudoniem AND jh.schooljaar = j.schooljaar
LEFT JOIN intermediate.int_laatste_school AS ls
    ON ls.pseudoniem = h.pseudoniem AND ls.schooljaar = j.schooljaar
LEFT JOIN staging.stg_scholen AS s ON s.vestigingscode = ls.vestigingscode
