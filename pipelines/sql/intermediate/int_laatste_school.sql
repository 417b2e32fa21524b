-- depends: intermediate.dim_schooljaar, staging.stg_inschrijvingen
-- Per person × schooljaar: the school of the latest enrolment that started on or before the
-- peildatum (for residents who left school: their last school).
SELECT j.schooljaar, i.pseudoniem, i.vestigingscode
FROM staging.stg_inschrijvingen AS i
JOIN intermediate.dim_schooljaar AS j ON i.datum_inschrijving <= j.peildatum
QUALIFY row_number() OVER (
    PARTITION BY j.schooljaar, i.pseudoniem ORDER BY i.datum_inschrijving DESC, i.vestigingscode
) = 1
