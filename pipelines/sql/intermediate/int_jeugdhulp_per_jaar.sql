-- depends: intermediate.dim_schooljaar, staging.stg_jeugdhulp
-- Per person × schooljaar: youth care overlapping the schooljaar, split as CBS does into
-- jeugdhulp and jeugdbescherming/jeugdreclassering; verblijf and dyslexia are jeugdhulp.
SELECT
    j.schooljaar,
    h.pseudoniem,
    bool_or(NOT h.jeugdbescherming) AS jeugdhulp,
    bool_or(h.jeugdbescherming) AS jeugdbescherming,
    bool_or(h.verblijf AND NOT h.jeugdbescherming) AS jeugdhulp_verblijf,
    bool_or(h.dyslexie) AS dyslexiezorg,
    -- a dyslexia trajectory begins with the child's first dyslexia record (diagnostiek, then
    -- behandeling as a record of its own: Protocol Dyslexie 3.0), so a child counts new once
    bool_or(h.dyslexie AND h.eerste_dyslexie BETWEEN j.start_date AND j.end_date)
        AS dyslexie_nieuw
FROM (
    SELECT *, min(datum_aanvang) FILTER (WHERE dyslexie) OVER (PARTITION BY pseudoniem)
               AS eerste_dyslexie
    FROM (SELECT *, list_contains(getvariable('dyslexie_productcodes'), productcode) AS dyslexie
          FROM staging.stg_jeugdhulp)
) AS h
JOIN intermediate.dim_schooljaar AS j
    ON h.datum_aanvang <= j.end_date
    AND (h.datum_einde IS NULL OR h.datum_einde >= j.start_date)
GROUP BY j.schooljaar, h.pseudoniem
