-- depends:
-- Youth-care records (BIJ + iJw cost). Rows with an unknown BSN have no pseudoniem and are
-- not linkable; they still count in the link-rate check, not here.
-- Jeugdbescherming (JZ020 48) and jeugdreclassering (47) are jeugdzorg but not jeugdhulp
-- (CBS Beleidsinformatie Jeugd keeps them apart): flagged here, counted separately.
WITH source AS (
    SELECT * FROM landing.jeugdhulp WHERE pseudoniem IS NOT NULL AND datum_aanvang IS NOT NULL
)
SELECT
    pseudoniem,
    norm_code(aanbieder) AS aanbieder,
    norm_code(hulpvorm) AS hulpvorm,
    norm_code(hulpvorm) IN ('11', '12', '13', '14') AS verblijf,
    norm_code(productcategorie) AS productcategorie,
    norm_code(productcategorie) IN ('47', '48') AS jeugdbescherming,
    norm_code(productcode) AS productcode,
    norm_code(verwijzer) AS verwijzer,
    datum_aanvang,
    datum_einde,
    norm_code(reden_beeindiging) AS reden_beeindiging,
    CAST(kosten AS DECIMAL(14, 2)) AS kosten
FROM source
