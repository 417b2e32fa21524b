-- depends: intermediate.dim_schooljaar, intermediate.int_school_op_peildatum, staging.stg_jeugdhulp, staging.stg_personen
-- One row per youth-care record × schooljaar it overlaps, placed at the school the young
-- person attends on the peildatum (NULL when not a pupil) and at the home wijk on it.
-- gestart / beeindigd: the record starts / ends in the schooljaar.
-- herhaald: for records that ended, whether a new jeugdhulp record (not jeugdbescherming)
-- of the same person started within 365 days after the end; NULL for the whole schooljaar
-- until 365 days after its last day are covered by the delivered data (the cohort of records
-- ending in the schooljaar is published only with its full follow-up, never part of it).
WITH records AS (
    SELECT h.*, row_number() OVER (ORDER BY h.pseudoniem, h.datum_aanvang, h.hulpvorm,
                                            h.productcode, h.aanbieder) AS record_id
    FROM staging.stg_jeugdhulp AS h
),
repeated AS (
    SELECT r.record_id, count(n.pseudoniem) > 0 AS herhaald
    FROM records AS r
    LEFT JOIN records AS n
        ON n.pseudoniem = r.pseudoniem AND NOT n.jeugdbescherming
        AND n.datum_aanvang > r.datum_einde AND n.datum_aanvang <= r.datum_einde + 365
    WHERE r.datum_einde IS NOT NULL
    GROUP BY r.record_id
)
SELECT
    j.schooljaar,
    h.pseudoniem,
    h.datum_aanvang,
    h.hulpvorm,
    h.verblijf,
    h.jeugdbescherming,
    h.productcategorie,
    h.productcode,
    h.verwijzer,
    h.reden_beeindiging,
    h.kosten,
    h.datum_aanvang BETWEEN j.start_date AND j.end_date AS gestart,
    coalesce(h.datum_einde BETWEEN j.start_date AND j.end_date, false) AS beeindigd,
    CASE WHEN j.end_date + 365 <= j.gegevens_tot_en_met THEN rp.herhaald END AS herhaald,
    date_diff('day', h.datum_aanvang, coalesce(h.datum_einde, j.gegevens_tot_en_met)) + 1
        AS duur_dagen,
    e.vestigingscode,
    e.brin,
    e.bevoegd_gezag,
    e.swv,
    home.wijkcode,
    home.gemeentecode
FROM records AS h
JOIN intermediate.dim_schooljaar AS j
    ON h.datum_aanvang <= j.end_date AND (h.datum_einde IS NULL OR h.datum_einde >= j.start_date)
LEFT JOIN repeated AS rp USING (record_id)
LEFT JOIN intermediate.int_school_op_peildatum AS e
    ON e.pseudoniem = h.pseudoniem AND e.peildatum = j.peildatum
LEFT JOIN staging.stg_personen AS home
    ON home.pseudoniem = h.pseudoniem AND home.peildatum = j.peildatum
