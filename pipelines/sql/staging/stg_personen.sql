-- depends:
-- One row per person × peildatum (BRP extract), linkable rows only.
-- The partner delivers the age on the peildatum, not the birth date (privacy/minimise.py).
-- geboortedatum is a stand-in: the peildatum less the age and half a year, the middle of the
-- birth dates with that age. age_on() gives the true age on it and on every peildatum on the
-- same day of the year (all are 1 oktober), so every figure counted on a peildatum is the same
-- as with the real birth date. A birthday within the schooljaar (the 18th, where absoluut
-- verzuim ends) is estimated by it: for a 17-year-old on 1 oktober, 1 April (docs/definitions.md).
-- No postcode is delivered.
WITH source AS (
    SELECT * FROM landing.personen
    WHERE pseudoniem IS NOT NULL AND peildatum IS NOT NULL AND leeftijd IS NOT NULL
),
renamed AS (
    SELECT
        pseudoniem,
        (peildatum - to_years(leeftijd::INTEGER) - INTERVAL 6 MONTH)::DATE AS geboortedatum,
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
