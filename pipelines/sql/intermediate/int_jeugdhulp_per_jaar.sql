-- depends: intermediate.dim_schooljaar, staging.stg_jeugdhulp
-- Per person × schooljaar: any youth care overlapping the schooljaar, with verblijf, dyslexia.
SELECT
    j.schooljaar,
    h.pseudoniem,
    true AS jeugdhulp,
    bool_or(h.verblijf) AS jeugdhulp_verblijf,
    bool_or(list_contains(getvariable('dyslexie_productcodes'), h.productcode)) AS dyslexiezorg
FROM staging.stg_jeugdhulp AS h
JOIN intermediate.dim_schooljaar AS j
    ON h.datum_aanvang <= j.end_date
    AND (h.datum_einde IS NULL OR h.datum_einde >= j.start_date)
GROUP BY j.schooljaar, h.pseudoniem
