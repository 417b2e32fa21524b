-- depends: intermediate.dim_schooljaar, intermediate.int_jeugdhulp_per_jaar, staging.stg_jeugdhulp, staging.stg_personen
-- Per person × schooljaar: the home area youth care is placed at (woonplaatsbeginsel, Jeugdwet
-- since 2022). Someone in verblijf (hulpvorm 11-14) in the schooljaar counts at the address
-- before their first verblijf started (the latest peildatum before it; the earliest known
-- address when the verblijf started before the delivery); everyone else at the peildatum address.
WITH first_verblijf AS (
    SELECT pseudoniem, min(datum_aanvang) AS datum_aanvang
    FROM staging.stg_jeugdhulp
    WHERE verblijf AND NOT jeugdbescherming
    GROUP BY pseudoniem
),
before_verblijf AS (
    SELECT f.pseudoniem, p.wijkcode, p.gemeentecode
    FROM first_verblijf AS f
    ASOF JOIN staging.stg_personen AS p
        ON p.pseudoniem = f.pseudoniem AND p.peildatum < f.datum_aanvang
),
earliest AS (
    SELECT pseudoniem, arg_min(wijkcode, peildatum) AS wijkcode,
           arg_min(gemeentecode, peildatum) AS gemeentecode
    FROM staging.stg_personen
    WHERE pseudoniem IN (SELECT pseudoniem FROM first_verblijf)
    GROUP BY pseudoniem
),
in_verblijf AS (
    SELECT jh.schooljaar, jh.pseudoniem,
           coalesce(b.wijkcode, e.wijkcode) AS wijkcode,
           coalesce(b.gemeentecode, e.gemeentecode) AS gemeentecode
    FROM intermediate.int_jeugdhulp_per_jaar AS jh
    LEFT JOIN before_verblijf AS b USING (pseudoniem)
    LEFT JOIN earliest AS e USING (pseudoniem)
    WHERE jh.jeugdhulp_verblijf
),
at_peildatum AS (
    SELECT j.schooljaar, p.pseudoniem, p.wijkcode, p.gemeentecode
    FROM staging.stg_personen AS p
    JOIN intermediate.dim_schooljaar AS j USING (peildatum)
)
SELECT schooljaar, pseudoniem, wijkcode, gemeentecode, 'voor_verblijf' AS grond
FROM in_verblijf WHERE gemeentecode IS NOT NULL
UNION ALL
SELECT a.schooljaar, a.pseudoniem, a.wijkcode, a.gemeentecode, 'peildatum'
FROM at_peildatum AS a
ANTI JOIN (SELECT * FROM in_verblijf WHERE gemeentecode IS NOT NULL) AS v
    USING (schooljaar, pseudoniem)
