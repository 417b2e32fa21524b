-- depends: facts.fact_leerling_jaar, staging.stg_leerlingtellingen, staging.stg_scholen, intermediate.dim_schooljaar
-- Coverage per school, bestuur and swv: the resident pupils enrolled there on 1 oktober (inwoner:
-- youth-care and leerplicht data exist only for them) divided by DUO's count of ALL the
-- school's pupils on that 1 oktober (staging.stg_leerlingtellingen, open onderwijsdata).
-- No DUO count for a school (for a bestuur or swv: for one of its schools with pupils) -> NULL:
-- no coverage, and the figure is not shown (indicators/coverage.py). An swv takes only the
-- pupils of its sector and DUO's count of that sector (a school in both: each part at its own).
-- Capped at 1: a count below the pupils the delivery holds (another peildatum) is no evidence
-- that pupils are missing. {period}: the schooljaar, or one label for all schooljaren together.
WITH pupils AS (
    SELECT {period} AS period, vestigingscode, bevoegd_gezag, swv,
           count(*) FILTER (WHERE inwoner) AS inwoners
    FROM (SELECT * REPLACE ({period} AS schooljaar) FROM facts.fact_leerling_jaar)
    GROUP BY ALL
),
counts AS (
    SELECT {period} AS period, c.vestigingscode, c.sector, c.aantal,
           -- as swv_for() places the pupils: each sector at its own swv
           CASE WHEN c.sector = 'PO' THEN coalesce(s.swv_po, s.swv)
                WHEN c.sector = 'VO' THEN coalesce(s.swv_vo, s.swv)
                WHEN c.sector = 'MBO' THEN NULL
                -- no sector in the file: only a school in one swv can be attributed
                ELSE CASE WHEN s.swv_vo IS NULL THEN s.swv_po
                          WHEN s.swv_po IS NULL THEN s.swv_vo END END AS swv
    FROM staging.stg_leerlingtellingen AS c
    JOIN (SELECT * REPLACE ({period} AS schooljaar) FROM intermediate.dim_schooljaar) AS j
        USING (peildatum)
    LEFT JOIN staging.stg_scholen AS s USING (vestigingscode)
),
per_school AS (
    SELECT p.*, c.aantal
    FROM (SELECT period, vestigingscode, any_value(bevoegd_gezag) AS bevoegd_gezag,
                 sum(inwoners) AS inwoners
          FROM pupils GROUP BY period, vestigingscode) AS p
    LEFT JOIN (SELECT period, vestigingscode, sum(aantal) AS aantal
               FROM counts GROUP BY period, vestigingscode) AS c
        USING (period, vestigingscode)
),
per_school_swv AS (
    SELECT p.*, c.aantal
    FROM (SELECT period, vestigingscode, swv, sum(inwoners) AS inwoners
          FROM pupils WHERE swv IS NOT NULL GROUP BY period, vestigingscode, swv) AS p
    LEFT JOIN (SELECT period, vestigingscode, swv, sum(aantal) AS aantal
               FROM counts WHERE swv IS NOT NULL GROUP BY period, vestigingscode, swv) AS c
        USING (period, vestigingscode, swv)
),
areas AS (
    SELECT period, 'school' AS level, vestigingscode AS area_code, inwoners, aantal,
           aantal IS NOT NULL AS counted
    FROM per_school
    UNION ALL
    SELECT period, 'bestuur', bevoegd_gezag, inwoners, aantal, aantal IS NOT NULL
    FROM per_school WHERE bevoegd_gezag IS NOT NULL
    UNION ALL
    SELECT period, 'swv', swv, inwoners, aantal, aantal IS NOT NULL FROM per_school_swv
)
SELECT period, level, area_code,
       CASE WHEN bool_and(counted) AND sum(aantal) > 0
            THEN least(sum(inwoners)::DOUBLE / sum(aantal), 1.0) END AS coverage
FROM areas
GROUP BY period, level, area_code
