-- depends: intermediate.dim_schooljaar, intermediate.int_ingeschreven_op_peildatum, intermediate.int_jeugdhulp_per_jaar, intermediate.int_laatste_school, intermediate.int_persoon, intermediate.int_swv_woongemeente, intermediate.int_verzuim_absoluut, intermediate.int_verzuim_per_jaar, staging.stg_personen, staging.stg_scholen
-- One row per resident × schooljaar (personen on the peildatum), placed at home and at the
-- school of their latest enrolment (NULL when never enrolled); swv_woonadres is the swv of
-- the home address (PO below 12 or in primary school, VO otherwise).
WITH residents AS (
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
        coalesce(jh.jeugdbescherming, false) AS jeugdbescherming,
        coalesce(jh.jeugdhulp_verblijf, false) AS jeugdhulp_verblijf,
        e.onderwijssoort,
        CASE WHEN e.onderwijssoort IS NULL THEN 'niet_ingeschreven'
             WHEN e.onderwijssoort LIKE 'VMBO%' THEN 'vmbo'
             WHEN e.onderwijssoort LIKE 'MBO%' THEN 'mbo'
             WHEN e.onderwijssoort IN ('HBO', 'WO') THEN 'ho'
             ELSE lower(e.onderwijssoort) END AS onderwijssoort_groep,
        e.pseudoniem IS NOT NULL AS ingeschreven,
        av.pseudoniem IS NOT NULL AS absoluut_verzuim,
        av.dagen AS absoluut_verzuim_dagen,
        coalesce(vz.langdurig_relatief, false) AS langdurig_relatief,
        vz.langdurig_relatief_dagen,
        ls.vestigingscode,
        s.brin,
        s.bevoegd_gezag,
        swv_for(ls.onderwijssoort, s.swv_po, s.swv_vo, s.swv) AS swv,
        swv_woonadres(e.onderwijssoort, age_on(h.geboortedatum, h.peildatum), sw.swv_po,
                      sw.swv_vo) AS swv_woonadres
    FROM staging.stg_personen AS h
    JOIN intermediate.dim_schooljaar AS j USING (peildatum)
    LEFT JOIN intermediate.int_persoon AS pe USING (pseudoniem)
    LEFT JOIN intermediate.int_jeugdhulp_per_jaar AS jh
        ON jh.pseudoniem = h.pseudoniem AND jh.schooljaar = j.schooljaar
    LEFT JOIN intermediate.int_ingeschreven_op_peildatum AS e
        ON e.pseudoniem = h.pseudoniem AND e.peildatum = j.peildatum
    LEFT JOIN intermediate.int_verzuim_absoluut AS av
        ON av.pseudoniem = h.pseudoniem AND av.schooljaar = j.schooljaar
    LEFT JOIN intermediate.int_verzuim_per_jaar AS vz
        ON vz.pseudoniem = h.pseudoniem AND vz.schooljaar = j.schooljaar
    LEFT JOIN intermediate.int_laatste_school AS ls
        ON ls.pseudoniem = h.pseudoniem AND ls.schooljaar = j.schooljaar
    LEFT JOIN staging.stg_scholen AS s ON s.vestigingscode = ls.vestigingscode
    LEFT JOIN intermediate.int_swv_woongemeente AS sw ON sw.gemeentecode = h.gemeentecode
),
durations AS (
    SELECT *, greatest(coalesce(absoluut_verzuim_dagen, 0), coalesce(langdurig_relatief_dagen, 0))
        AS thuiszit_dagen
    FROM residents
)
SELECT
    * EXCLUDE (thuiszit_dagen),
    -- Leerplichtig (incl. kwalificatieplicht): 5-17 on 1 oktober, no startkwalificatie yet.
    leeftijd BETWEEN 5 AND 17 AND NOT startkwalificatie AS leerplichtig,
    -- Thuiszitter as OCW counts: absoluut verzuimer or langdurig relatief verzuimer.
    absoluut_verzuim OR langdurig_relatief AS thuiszitter,
    -- Duration class of the longest thuiszit episode: < 3, 3-6, > 6 months.
    CASE WHEN thuiszit_dagen = 0 THEN NULL
         WHEN thuiszit_dagen < 91 THEN 'korter_dan_3_maanden'
         WHEN thuiszit_dagen <= 182 THEN '3_tot_6_maanden'
         ELSE 'langer_dan_6_maanden' END AS thuiszit_duur
FROM durations
