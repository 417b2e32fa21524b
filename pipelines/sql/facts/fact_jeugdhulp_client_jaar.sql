-- depends: intermediate.dim_schooljaar, intermediate.int_school_op_peildatum, intermediate.int_woonplaats_jaar, staging.stg_jeugdhulp
-- One row per jeugdhulp client × schooljaar (jeugdbescherming and jeugdreclassering not
-- included), with the cost of the schooljaar: each record's declared cost spread pro rata over
-- the days it runs (an open record up to the end of the delivered data), so every schooljaar
-- carries its own share and open records are not under-counted. Placed at the school on the
-- peildatum and at home by the woonplaatsbeginsel (int_woonplaats_jaar).
WITH records AS (
    SELECT h.pseudoniem, h.datum_aanvang, coalesce(h.kosten, 0) AS kosten,
           least(coalesce(h.datum_einde, d.tot_en_met), d.tot_en_met) AS datum_tot
    FROM staging.stg_jeugdhulp AS h
    CROSS JOIN (SELECT max(gegevens_tot_en_met) AS tot_en_met
                FROM intermediate.dim_schooljaar) AS d
    WHERE NOT h.jeugdbescherming
),
shares AS (
    SELECT
        j.schooljaar,
        j.peildatum,
        r.pseudoniem,
        r.kosten * (date_diff('day', greatest(r.datum_aanvang, j.start_date),
                              least(r.datum_tot, j.end_date)) + 1)
            / (date_diff('day', r.datum_aanvang, greatest(r.datum_tot, r.datum_aanvang)) + 1)
            AS kosten
    FROM records AS r
    JOIN intermediate.dim_schooljaar AS j
        ON r.datum_aanvang <= j.end_date AND r.datum_tot >= j.start_date
),
clients AS (
    SELECT schooljaar, peildatum, pseudoniem, sum(kosten)::DECIMAL(14, 2) AS kosten
    FROM shares
    GROUP BY ALL
)
SELECT
    c.schooljaar,
    c.pseudoniem,
    c.kosten,
    e.vestigingscode,
    e.brin,
    e.bevoegd_gezag,
    e.swv,
    w.wijkcode,
    w.gemeentecode
FROM clients AS c
LEFT JOIN intermediate.int_school_op_peildatum AS e
    ON e.pseudoniem = c.pseudoniem AND e.peildatum = c.peildatum
LEFT JOIN intermediate.int_woonplaats_jaar AS w
    ON w.pseudoniem = c.pseudoniem AND w.schooljaar = c.schooljaar
