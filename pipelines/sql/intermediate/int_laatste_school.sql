-- depends: intermediate.dim_schooljaar, staging.stg_inschrijvingen
-- Per person × schooljaar: the school of the latest enrolment that started on or before the
-- peildatum (for residents who left school: their last school), with the onderwijssoort of
-- that enrolment (it decides the swv).
-- An ASOF JOIN finds it in one pass (a <= join and a window over persons × schooljaren took
-- 77 s nationally); enrolments starting on one day are one, the lowest vestigingscode.
WITH enrolment AS (
    SELECT pseudoniem, datum_inschrijving, min(vestigingscode) AS vestigingscode,
           arg_min(onderwijssoort, vestigingscode) AS onderwijssoort
    FROM staging.stg_inschrijvingen
    WHERE onderwijssoort NOT IN ('HBO', 'WO')  -- the last school, not an hbo/wo instelling
    GROUP BY pseudoniem, datum_inschrijving
),
person_year AS (
    SELECT p.pseudoniem, j.schooljaar, j.peildatum
    FROM (SELECT DISTINCT pseudoniem FROM enrolment) AS p
    CROSS JOIN intermediate.dim_schooljaar AS j
)
SELECT p.schooljaar, p.pseudoniem, e.vestigingscode, e.onderwijssoort
FROM person_year AS p
ASOF JOIN enrolment AS e
    ON p.pseudoniem = e.pseudoniem AND p.peildatum >= e.datum_inschrijving
