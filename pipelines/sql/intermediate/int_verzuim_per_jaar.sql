-- depends: intermediate.dim_schooljaar, staging.stg_verzuim
-- Per person × schooljaar, from the leerplicht reports:
-- relatief verzuim reported in the schooljaar, with the school that reported it first;
-- langdurig relatief verzuim (> 4 weeks) whose episode overlaps the schooljaar, also when it was
-- reported the year before (an open episode runs to the end of the delivered data), with the
-- longest such episode's length in days.
WITH reports AS (
    SELECT v.*, j.schooljaar, j.start_date, j.end_date,
           coalesce(v.datum_einde, j.gegevens_tot_en_met) AS episode_end
    FROM staging.stg_verzuim AS v
    CROSS JOIN intermediate.dim_schooljaar AS j
    WHERE NOT v.vrijstelling
)
SELECT
    schooljaar,
    pseudoniem,
    bool_or(relatief AND datum_melding BETWEEN start_date AND end_date) AS verzuim_relatief,
    first(vestigingscode ORDER BY datum_melding, vestigingscode)
        FILTER (WHERE relatief AND datum_melding BETWEEN start_date AND end_date)
        AS melder_vestigingscode,
    bool_or(langdurig_relatief AND datum_melding <= end_date AND episode_end >= start_date)
        AS langdurig_relatief,
    max(date_diff('day', datum_melding, episode_end) + 1)
        FILTER (WHERE langdurig_relatief AND datum_melding <= end_date
                AND episode_end >= start_date) AS langdurig_relatief_dagen
FROM reports
GROUP BY schooljaar, pseudoniem
HAVING bool_or(relatief AND datum_melding BETWEEN start_date AND end_date)
    OR bool_or(langdurig_relatief AND datum_melding <= end_date AND episode_end >= start_date)
