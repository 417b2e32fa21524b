-- depends:
-- Enrolments (leerplicht/BRON), linkable rows only.
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
