-- depends: staging.stg_inschrijvingen, staging.stg_jeugdhulp, staging.stg_personen, staging.stg_verzuim
-- Schooljaren of the delivery: 1 August - 31 July, peildatum 1 oktober.
-- vsv needs enrolment one year later, so it is known only for peildata up to the date the
-- deliveries run to ("gegevens tot en met": the latest event date seen, never in the future).
WITH peildata AS (
    SELECT DISTINCT peildatum FROM staging.stg_personen
    WHERE month(peildatum) = 10 AND day(peildatum) = 1
),
delivered AS (
    SELECT least(max(d), current_date) AS tot_en_met FROM (
        SELECT max(datum_inschrijving) AS d FROM staging.stg_inschrijvingen
        UNION ALL SELECT max(datum_uitschrijving) FROM staging.stg_inschrijvingen
        UNION ALL SELECT max(datum_melding) FROM staging.stg_verzuim
        UNION ALL SELECT max(datum_aanvang) FROM staging.stg_jeugdhulp
    )
),
final AS (
    SELECT
        year(peildatum) || '-' || (year(peildatum) + 1) AS schooljaar,
        make_date(year(peildatum), 8, 1) AS start_date,
        make_date(year(peildatum) + 1, 7, 31) AS end_date,
        peildatum,
        make_date(year(peildatum) + 1, 10, 1) AS peildatum_next,
        make_date(year(peildatum) + 1, 10, 1) <= delivered.tot_en_met AS vsv_bekend,
        delivered.tot_en_met AS gegevens_tot_en_met
    FROM peildata CROSS JOIN delivered
)
SELECT * FROM final ORDER BY schooljaar
