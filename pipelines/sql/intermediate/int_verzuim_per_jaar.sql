-- depends: intermediate.dim_schooljaar, staging.stg_verzuim
-- Per person × schooljaar: reports made in the schooljaar (thuiszitter, relatief verzuim).
SELECT
    j.schooljaar,
    v.pseudoniem,
    bool_or(v.thuiszitter) AS thuiszitter,
    bool_or(v.relatief) AS verzuim_relatief
FROM staging.stg_verzuim AS v
JOIN intermediate.dim_schooljaar AS j
    ON v.datum_melding BETWEEN j.start_date AND j.end_date
GROUP BY j.schooljaar, v.pseudoniem
