-- depends: staging.stg_inschrijvingen, staging.stg_jeugdhulp, staging.stg_personen, staging.stg_verzuim
-- Schooljaren of the delivery: 1 August - 31 July, peildatum 1 oktober.
-- gegevens_tot_en_met: the latest event date seen in any source (never in the future): open
-- youth-care records and verzuim run to it. Outcomes one year later (vsv, schoolverlaters,
-- instroom speciaal onderwijs) need the ENROLMENT delivery itself to reach 1 oktober t+1
-- (another source running further says nothing about who is enrolled) and the BRP extract to
-- hold peildatum t+1 (who left the municipality is no vsv'er and no schoolverlater).
WITH peildata AS (
    SELECT DISTINCT peildatum FROM staging.stg_personen
    WHERE month(peildatum) = 10 AND day(peildatum) = 1
),
enrolment AS (
    SELECT least(greatest(max(datum_inschrijving), max(datum_uitschrijving)), current_date)
        AS tot_en_met
    FROM staging.stg_inschrijvingen
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
        coalesce(make_date(year(peildatum) + 1, 10, 1) <= enrolment.tot_en_met, false)
            AND make_date(year(peildatum) + 1, 10, 1) IN (SELECT peildatum FROM peildata)
            AS vsv_bekend,
        delivered.tot_en_met AS gegevens_tot_en_met
    FROM peildata CROSS JOIN delivered CROSS JOIN enrolment
)
SELECT * FROM final ORDER BY schooljaar
