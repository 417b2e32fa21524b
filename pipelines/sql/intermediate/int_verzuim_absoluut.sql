-- depends: intermediate.dim_schooljaar, intermediate.int_persoon, staging.stg_inschrijvingen, staging.stg_personen, staging.stg_verzuim
-- Per resident × schooljaar: absoluut verzuimer as OCW counts thuiszitters (Kamerbrief 2016,
-- leerplichttelling): at some time in the schooljaar at least four weeks (28 days) in a row
-- not enrolled at any school (hbo/wo included) and not covered by a vrijstelling, while
-- leerplichtig or kwalificatieplichtig: from the first day of the month after the 5th birthday,
-- before the 18th birthday and before the startkwalificatie. The summer holiday does not count:
-- only days from 1 September to 30 June (the union of the three regions' holidays lies in July
-- and August), and never after the end of the delivered data. Residents: living in the
-- municipality on the peildatum. dagen: the longest such gap in the schooljaar (its days inside
-- that window).
WITH windows AS (
    SELECT j.schooljaar, p.pseudoniem,
           greatest(make_date(year(j.start_date), 9, 1),
                    date_trunc('month', pe.geboortedatum + INTERVAL 5 YEAR)::DATE
                        + INTERVAL 1 MONTH)::DATE AS ws,
           least(make_date(year(j.end_date), 6, 30), j.gegevens_tot_en_met,
                 (pe.geboortedatum + INTERVAL 18 YEAR)::DATE - 1,
                 coalesce(pe.startkwalificatie_datum - 1, DATE '9999-12-31')) AS we
    FROM staging.stg_personen AS p
    JOIN intermediate.dim_schooljaar AS j USING (peildatum)
    JOIN intermediate.int_persoon AS pe USING (pseudoniem)
),
eligible AS (SELECT * FROM windows WHERE we >= ws),
-- Enrolments and vrijstellingen both close a gap (open ones run to the end of the window).
covered AS (
    SELECT pseudoniem, datum_inschrijving AS van, datum_uitschrijving AS tot
    FROM staging.stg_inschrijvingen
    UNION ALL
    SELECT pseudoniem, datum_melding, datum_einde FROM staging.stg_verzuim WHERE vrijstelling
),
spans AS (
    SELECT w.schooljaar, w.pseudoniem, w.ws, w.we,
           greatest(c.van, w.ws) AS van, least(coalesce(c.tot, w.we), w.we) AS tot
    FROM eligible AS w
    JOIN covered AS c
        ON c.pseudoniem = w.pseudoniem AND c.van <= w.we AND coalesce(c.tot, w.we) >= w.ws
),
ordered AS (
    SELECT *, max(tot) OVER (PARTITION BY schooljaar, pseudoniem ORDER BY van, tot
                             ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS covered_to
    FROM spans
),
gaps AS (
    -- before each span (the first: from the window's start), after the last span, or the
    -- whole window when nothing covers it
    SELECT schooljaar, pseudoniem, coalesce(covered_to + 1, ws) AS g0, van - 1 AS g1
    FROM ordered
    UNION ALL
    SELECT schooljaar, pseudoniem, max(tot) + 1, any_value(we) FROM spans
    GROUP BY schooljaar, pseudoniem
    UNION ALL
    SELECT w.schooljaar, w.pseudoniem, w.ws, w.we FROM eligible AS w
    ANTI JOIN spans AS s USING (schooljaar, pseudoniem)
)
SELECT schooljaar, pseudoniem, max(date_diff('day', g0, g1) + 1) AS dagen
FROM gaps
WHERE date_diff('day', g0, g1) + 1 >= 28
GROUP BY schooljaar, pseudoniem
