-- depends:
-- One row per person × peildatum (BRP extract), linkable rows only.
-- The partner delivers the age on the peildatum, not the birth date (privacy/minimise.py).
-- geboortedatum is the latest birth date with that age on the peildatum: age_on() gives the
-- true age on it and on every peildatum on the same day of the year (all are 1 oktober), so
-- every indicator is the same as with the real birth date. No postcode is delivered.
WITH source AS (
    SELECT * FROM landing.personen
    WHERE pseudoniem IS NOT NULL AND peildatum IS NOT NULL AND leeftijd IS NOT NULL
),
renamed AS (
    SELECT
        pseudoniem,
        make_date(year(peildatum) - leeftijd, month(peildatum), day(peildatum))
            AS geboortedatum,
        norm_code(geslacht) AS geslacht,
        NULL::VARCHAR AS postcode,
        norm_gemeentecode(gemeentecode) AS gemeentecode,
        norm_code(wijkcode) AS wijkcode,
        norm_code(buurtcode) AS buurtcode,
        peildatum,
        bestand,
        row_nr
    FROM source
)
SELECT * EXCLUDE (bestand, row_nr) FROM renamed
QUALIFY row_number() OVER (PARTITION BY pseudoniem, peildatum ORDER BY bestand, row_nr) = 1
