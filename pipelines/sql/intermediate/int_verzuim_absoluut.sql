-- depends: intermediate.dim_schooljaar, intermediate.int_ingeschreven_op_peildatum, intermediate.int_persoon, staging.stg_inschrijvingen, staging.stg_personen, staging.stg_verzuim
-- Per resident × schooljaar: absoluut verzuimer (Leerplichtwet; OCW thuiszitters): of compulsory
-- school age on the peildatum (5-17 and no startkwalificatie yet), living in the municipality,
-- not enrolled at any school on the peildatum and without a vrijstelling valid on it.
-- dagen: from the last uitschrijving before the peildatum (the peildatum when never enrolled)
-- to the next inschrijving after it (or the end of the delivered data).
WITH residents AS (
    SELECT j.schooljaar, j.peildatum, j.gegevens_tot_en_met, p.pseudoniem
    FROM staging.stg_personen AS p
    JOIN intermediate.dim_schooljaar AS j USING (peildatum)
    LEFT JOIN intermediate.int_persoon AS pe USING (pseudoniem)
    WHERE age_on(p.geboortedatum, p.peildatum) BETWEEN 5 AND 17
      AND NOT coalesce(pe.startkwalificatie_datum <= p.peildatum, false)
),
absent AS (
    SELECT r.* FROM residents AS r
    ANTI JOIN intermediate.int_ingeschreven_op_peildatum AS e
        ON e.pseudoniem = r.pseudoniem AND e.peildatum = r.peildatum
    ANTI JOIN staging.stg_verzuim AS v
        ON v.pseudoniem = r.pseudoniem AND v.vrijstelling AND v.datum_melding <= r.peildatum
        AND (v.datum_einde IS NULL OR v.datum_einde >= r.peildatum)
)
SELECT
    a.schooljaar,
    a.pseudoniem,
    date_diff('day',
        coalesce((SELECT max(i.datum_uitschrijving) FROM staging.stg_inschrijvingen AS i
                  WHERE i.pseudoniem = a.pseudoniem AND i.datum_uitschrijving < a.peildatum),
                 a.peildatum),
        coalesce((SELECT min(i.datum_inschrijving) FROM staging.stg_inschrijvingen AS i
                  WHERE i.pseudoniem = a.pseudoniem AND i.datum_inschrijving > a.peildatum),
                 a.gegevens_tot_en_met)) + 1 AS dagen
FROM absent AS a
