-- depends:
-- Leerplicht absence reports, linkable rows only.
WITH source AS (
    SELECT * FROM landing.verzuim WHERE pseudoniem IS NOT NULL AND datum_melding IS NOT NULL
)
SELECT
    pseudoniem,
    norm_code(vestigingscode) AS vestigingscode,
    norm_code(soort) AS soort,
    datum_melding,
    norm_code(thuiszitter) = 'J' AS thuiszitter,
    norm_code(soort) IN ('RELATIEF_16U', 'LANGDURIG_RELATIEF') AS relatief,
    datum_einde
FROM source
