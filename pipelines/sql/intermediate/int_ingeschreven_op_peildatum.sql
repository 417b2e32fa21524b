-- depends: intermediate.dim_schooljaar, staging.stg_inschrijvingen
-- Who is enrolled where on each peildatum (and on the next one, for vsv).
-- Several enrolments on one day: the one that started last counts.
WITH dates AS (
    SELECT peildatum FROM intermediate.dim_schooljaar
    UNION
    SELECT peildatum_next FROM intermediate.dim_schooljaar WHERE vsv_bekend
),
enrolled AS (
    SELECT d.peildatum, i.*
    FROM staging.stg_inschrijvingen AS i
    JOIN dates AS d
        ON i.datum_inschrijving <= d.peildatum
        AND (i.datum_uitschrijving IS NULL OR i.datum_uitschrijving >= d.peildatum)
)
SELECT peildatum, pseudoniem, vestigingscode, onderwijssoort, leerjaar
FROM enrolled
QUALIFY row_number() OVER (
    PARTITION BY peildatum, pseudoniem ORDER BY datum_inschrijving DESC, vestigingscode
) = 1
