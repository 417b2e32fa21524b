-- depends:
-- One row per person × peildatum (BRP extract), linkable rows only.
WITH source AS (
    SELECT * FROM landing.personen WHERE pseudoniem IS NOT NULL AND peildatum IS NOT NULL
),
renamed AS (
    SELECT
        pseudoniem,
        geboortedatum,
        norm_code(geslacht) AS geslacht,
        norm_code(postcode) AS postcode,
        norm_gemeentecode(gemeentecode) AS gemeentecode,
        norm_code(wijkcode) AS wijkcode,
        norm_code(buurtcode) AS buurtcode,
        peildatum,
        row_nr
    FROM source
)
SELECT * EXCLUDE (row_nr) FROM renamed
QUALIFY row_number() OVER (PARTITION BY pseudoniem, peildatum ORDER BY row_nr) = 1
