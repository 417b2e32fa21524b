-- depends: staging.stg_scholen
-- Samenwerkingsverband passend onderwijs of a home gemeente, PO and VO: passend onderwijs counts
-- pupils at the swv of their home address. Derived from the delivered school register: the
-- swv most regular schools (BAO, VO) located in that gemeente belong to.
WITH regular AS (
    SELECT gemeentecode, swv_po AS swv, 'PO' AS sector FROM staging.stg_scholen
    WHERE school_soort = 'BAO' AND swv_po IS NOT NULL
    UNION ALL
    SELECT gemeentecode, swv_vo, 'VO' FROM staging.stg_scholen
    WHERE school_soort = 'VO' AND swv_vo IS NOT NULL
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
