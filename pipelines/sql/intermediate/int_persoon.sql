-- depends: staging.stg_diplomas, staging.stg_inschrijvingen, staging.stg_personen
-- Per person: birth date, sex and the date of the first startkwalificatie diploma.
WITH born AS (
    SELECT pseudoniem, min(geboortedatum) AS geboortedatum, arg_max(geslacht, peildatum) AS geslacht
    FROM staging.stg_personen
    GROUP BY pseudoniem
),
qualified AS (
    SELECT pseudoniem, min(datum) AS startkwalificatie_datum
    FROM staging.stg_diplomas
    WHERE startkwalificatie
    GROUP BY pseudoniem
),
ids AS (
    SELECT pseudoniem FROM born
    UNION
    SELECT pseudoniem FROM staging.stg_inschrijvingen
)
SELECT ids.pseudoniem, born.geboortedatum, born.geslacht, qualified.startkwalificatie_datum
FROM ids
LEFT JOIN born USING (pseudoniem)
LEFT JOIN qualified USING (pseudoniem)
