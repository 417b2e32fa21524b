-- depends:
-- Enrolments (leerplicht/BRON), linkable rows only. A region may deliver them in parts per
-- gemeente, and a pupil who lives in one gemeente and goes to school in another is then in
-- both parts: one enrolment (the key) is kept once, from the first part.
WITH source AS (
    SELECT * FROM landing.inschrijvingen
    WHERE pseudoniem IS NOT NULL AND datum_inschrijving IS NOT NULL
)
SELECT
    pseudoniem,
    norm_code(vestigingscode) AS vestigingscode,
    norm_code(onderwijssoort) AS onderwijssoort,
    leerjaar,
    datum_inschrijving,
    datum_uitschrijving
FROM source
QUALIFY row_number() OVER (
    PARTITION BY pseudoniem, norm_code(vestigingscode), datum_inschrijving ORDER BY bestand, row_nr
) = 1
