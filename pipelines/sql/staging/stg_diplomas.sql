-- depends:
-- Diplomas, linkable rows only; startkwalificatie = havo, vwo or mbo niveau 2 or higher.
-- Delivered in parts per gemeente, one diploma (the key) is kept once, from the first part.
WITH source AS (
    SELECT * FROM landing.diplomas WHERE pseudoniem IS NOT NULL AND datum IS NOT NULL
)
SELECT
    pseudoniem,
    norm_code(vestigingscode) AS vestigingscode,
    norm_code(diploma) AS diploma,
    datum,
    norm_code(diploma) IN ('HAVO', 'VWO', 'MBO-2', 'MBO-3', 'MBO-4') AS startkwalificatie
FROM source
QUALIFY row_number() OVER (
    PARTITION BY pseudoniem, norm_code(diploma), datum ORDER BY bestand, row_nr
) = 1
