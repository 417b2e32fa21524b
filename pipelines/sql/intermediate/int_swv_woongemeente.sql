-- depends: staging.stg_scholen
-- Samenwerkingsverband passend onderwijs of a home gemeente, PO and VO: passend onderwijs counts
-- pupils at the swv of their home address. Derived from the delivered school register: the
-- swv most regular schools (BAO, VO) located in that gemeente belong to.
WITH regular AS (
    SELECT gemeentecode, swv, CASE WHEN swv LIKE 'PO-%' THEN 'PO' ELSE 'VO' END AS sector
    FROM staging.stg_scholen
    WHERE swv IS NOT NULL AND school_soort IN ('BAO', 'VO')
      AND (swv LIKE 'PO-%' OR swv LIKE 'VO-%')
),
ranked AS (
    SELECT gemeentecode, sector, swv
    FROM regular
    GROUP BY gemeentecode, sector, swv
    QUALIFY row_number() OVER (PARTITION BY gemeentecode, sector ORDER BY count(*) DESC, swv) = 1
)
SELECT gemeentecode,
       any_value(swv) FILTER (WHERE sector = 'PO') AS swv_po,
       any_value(swv) FILTER (WHERE sector = 'VO') AS swv_vo
FROM ranked
GROUP BY gemeentecode
