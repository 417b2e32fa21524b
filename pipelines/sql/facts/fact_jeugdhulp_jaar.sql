-- depends: intermediate.dim_schooljaar, intermediate.int_ingeschreven_op_peildatum, staging.stg_jeugdhulp, staging.stg_personen, staging.stg_scholen
-- One row per youth-care record that starts in the schooljaar, placed at the school the young
-- person attends on the peildatum (NULL when not a pupil) and at the home wijk.
SELECT
    j.schooljaar,
    h.pseudoniem,
    h.datum_aanvang,
    h.hulpvorm,
    h.verblijf,
    h.productcategorie,
    h.productcode,
    h.verwijzer,
    h.kosten,
    date_diff('day', h.datum_aanvang, coalesce(h.datum_einde, j.gegevens_tot_en_met)) + 1
        AS duur_dagen,
    e.vestigingscode,
    s.brin,
    s.bevoegd_gezag,
    s.swv,
    home.wijkcode,
    home.gemeentecode
FROM staging.stg_jeugdhulp AS h
JOIN intermediate.dim_schooljaar AS j ON h.datum_aanvang BETWEEN j.start_date AND j.end_date
LEFT JOIN intermediate.int_ingeschreven_op_peildatum AS e
    ON e.pseudoniem = h.pseudoniem AND e.peildatum = j.peildatum
LEFT JOIN staging.stg_scholen AS s ON s.vestigingscode = e.vestigingscode
LEFT JOIN staging.stg_personen AS home
    ON home.pseudoniem = h.pseudoniem AND home.peildatum = j.peildatum
