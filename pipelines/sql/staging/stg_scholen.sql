-- depends:
-- School register (DUO): one row per vestiging.
WITH source AS (
    SELECT * FROM landing.scholen WHERE vestigingscode IS NOT NULL
)
SELECT
    norm_code(vestigingscode) AS vestigingscode,
    coalesce(norm_code(brin), left(norm_code(vestigingscode), 4)) AS brin,
    naam,
    norm_code(onderwijssoort) AS school_soort,
    lpad(trim(bevoegd_gezag), 5, '0') AS bevoegd_gezag,
    coalesce(bevoegd_gezag_naam, 'Bevoegd gezag ' || lpad(trim(bevoegd_gezag), 5, '0'))
        AS bevoegd_gezag_naam,
    norm_gemeentecode(gemeentecode) AS gemeentecode,
    norm_code(postcode) AS postcode,
    norm_code(swv) AS swv,
    -- The swv of each sector the school teaches: SBAO/SO pupils count at the PO-swv, VSO at the
    -- VO-swv (an SO/VSO school has both). Without swv_po/swv_vo: `swv` for its own sector.
    coalesce(norm_code(swv_po), CASE WHEN norm_code(swv) LIKE 'PO-%' THEN norm_code(swv) END)
        AS swv_po,
    coalesce(norm_code(swv_vo), CASE WHEN norm_code(swv) LIKE 'VO-%' THEN norm_code(swv) END)
        AS swv_vo,
    denominatie,
    norm_code(wijkcode) AS wijkcode,
    lon,
    lat
FROM source
QUALIFY row_number() OVER (PARTITION BY norm_code(vestigingscode) ORDER BY bestand, row_nr) = 1
