-- depends:
-- Leerplicht absence reports, linkable rows only. A vrijstelling (art. 5 / 5a / 15
-- Leerplichtwet) is delivered as a row with soort VRIJSTELLING: datum_melding = ingangsdatum,
-- datum_einde = einddatum (empty = still valid), no vestigingscode.
-- Delivered in parts per gemeente, a report about a pupil crossing the border may be in two
-- parts: one report (the key) is kept once, from the first part.
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
    -- Langdurig relatief verzuim: more than 4 weeks absent while enrolled (OCW thuiszitter).
    norm_code(soort) = 'LANGDURIG_RELATIEF' OR norm_code(thuiszitter) = 'J' AS langdurig_relatief,
    norm_code(soort) = 'VRIJSTELLING' AS vrijstelling,
    datum_einde
FROM source
QUALIFY row_number() OVER (
    PARTITION BY pseudoniem, norm_code(soort), datum_melding ORDER BY bestand, row_nr
) = 1
