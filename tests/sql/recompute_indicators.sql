-- Independent recomputation, for the slow test only: every indicator at school and wijk level
-- for one schooljaar, straight from the landing CSVs, written from the catalogue's definitions
-- without the pipeline's models. Variables: dir (landing folder), scholen_utf8 (scholen.csv
-- re-encoded from cp1252 to UTF-8 by the test, as DuckDB reads UTF-8), peil (1 oktober of the
-- schooljaar), dyslexie (product codes). Result: table expected(indicator_id, level,
-- area_code, numerator, denominator, value), and expected_coverage(level, area_code, coverage):
-- resident pupils on 1 oktober / DUO's count of all pupils (leerlingen_per_vestiging.csv), per
-- school and per swv (SBAO/SO at the school's PO-swv, VO and VSO at its VO-swv: an SO/VSO
-- school counts in both).
CREATE OR REPLACE MACRO d8(v) AS strptime(NULLIF(v, ''), '%Y%m%d')::DATE;
CREATE OR REPLACE MACRO years(born, on_day) AS date_part('year', age(on_day, born));
CREATE OR REPLACE TEMP TABLE k AS SELECT
    getvariable('peil')::DATE AS peil,
    (getvariable('peil')::DATE + INTERVAL 1 YEAR)::DATE AS nxt,
    make_date(year(getvariable('peil')::DATE), 8, 1) AS y0,
    make_date(year(getvariable('peil')::DATE) + 1, 7, 31) AS y1;
-- personen carries the age on its peildatum (privacy/minimise.py): born = the middle of the
-- birth dates with that age (peildatum less the age and half a year), exact for ages on 1 oktober.
CREATE OR REPLACE TEMP TABLE per AS SELECT pseudoniem,
    (peildatum::DATE - to_years(leeftijd::INTEGER) - INTERVAL 6 MONTH)::DATE AS born,
    upper(wijkcode) AS wijk, peildatum::DATE AS peildatum
FROM read_csv(getvariable('dir') || '/personen.csv', delim = ',', header = true, all_varchar = true);
CREATE OR REPLACE TEMP TABLE ins AS SELECT pseudoniem, vestigingscode AS school,
    onderwijssoort AS soort, d8(datum_inschrijving) AS van, d8(datum_uitschrijving) AS tot
FROM read_csv(getvariable('dir') || '/inschrijvingen.csv', delim = ';', header = true, all_varchar = true);
CREATE OR REPLACE TEMP TABLE dip AS SELECT pseudoniem, min(d8(datum)) AS sk
FROM read_csv(getvariable('dir') || '/diplomas.csv', delim = ',', header = true, all_varchar = true)
WHERE diploma IN ('HAVO', 'VWO', 'MBO-2', 'MBO-3', 'MBO-4') GROUP BY pseudoniem;
CREATE OR REPLACE TEMP TABLE jh AS SELECT pseudoniem, hulpvorm, productcode, verwijzer,
    reden_beeindiging AS reden, d8(datum_aanvang) AS van, d8(datum_einde) AS tot,
    replace(replace(kosten, '.', ''), ',', '.')::DOUBLE AS kosten,
    productcategorie IN ('47', '48') AS jb, hulpvorm IN ('11', '12', '13', '14') AS verblijf
FROM read_csv(getvariable('dir') || '/jeugdhulp.csv', delim = ';', header = true, all_varchar = true)
WHERE pseudoniem <> '';
CREATE OR REPLACE TEMP TABLE vz AS SELECT pseudoniem, vestigingscode AS school, soort,
    strptime(datum_melding, '%d-%m-%Y')::DATE AS van,
    strptime(NULLIF(datum_einde, ''), '%d-%m-%Y')::DATE AS tot, thuiszitter = 'J' AS tz
FROM read_csv(getvariable('dir') || '/verzuim.csv', delim = ';', header = true, all_varchar = true);
CREATE OR REPLACE TEMP TABLE eind AS SELECT least(current_date, greatest(
    (SELECT max(van) FROM ins), (SELECT max(tot) FROM ins), (SELECT max(van) FROM vz),
    (SELECT max(van) FROM jh))) AS data_tot;
-- School on a day: the enrolment that started last (then the lowest code).
CREATE OR REPLACE MACRO school_on(day) AS TABLE
    SELECT pseudoniem, school, soort FROM ins WHERE van <= day AND (tot IS NULL OR tot >= day)
    QUALIFY row_number() OVER (PARTITION BY pseudoniem ORDER BY van DESC, school) = 1;
-- Where a figure is placed at school on the peildatum: not at an hbo/wo instelling.
CREATE OR REPLACE TEMP TABLE placed AS
SELECT * FROM school_on((SELECT peil FROM k)) WHERE soort NOT IN ('HBO', 'WO');
CREATE OR REPLACE TEMP TABLE pupil AS
SELECT e.*, h.wijk, years(b.born, k.peil) AS age, h.pseudoniem IS NOT NULL AS resident,
       coalesce(dip.sk <= k.nxt, false) AS sk_next,
       e.soort IN ('BAO', 'SBAO', 'SO') AS po, e.soort LIKE 'MBO%' AS mbo
FROM placed AS e
CROSS JOIN k
LEFT JOIN per AS h ON h.pseudoniem = e.pseudoniem AND h.peildatum = k.peil
LEFT JOIN (SELECT pseudoniem, min(born) AS born FROM per GROUP BY 1) AS b
    ON b.pseudoniem = e.pseudoniem
LEFT JOIN dip ON dip.pseudoniem = e.pseudoniem;
CREATE OR REPLACE TEMP TABLE resident AS
SELECT h.pseudoniem, h.wijk, years(h.born, k.peil) AS age, coalesce(dip.sk <= k.peil, false) AS sk,
       e.school IS NOT NULL AS enrolled, e.soort,
       (SELECT i.school FROM ins AS i WHERE i.pseudoniem = h.pseudoniem AND i.van <= k.peil
        AND i.soort NOT IN ('HBO', 'WO') ORDER BY i.van DESC, i.school LIMIT 1) AS school
FROM per AS h CROSS JOIN k
LEFT JOIN school_on((SELECT peil FROM k)) AS e ON e.pseudoniem = h.pseudoniem
LEFT JOIN dip ON dip.pseudoniem = h.pseudoniem
WHERE h.peildatum = k.peil;
-- Care in the schooljaar per person (jeugdhulp = not productcategorie 47/48).
CREATE OR REPLACE TEMP TABLE care AS
SELECT pseudoniem, bool_or(NOT jb) AS hulp, bool_or(jb) AS jb, bool_or(verblijf AND NOT jb) AS verblijf,
       bool_or(list_contains(getvariable('dyslexie'), productcode)) AS dys,
       -- new: the child's first dyslexia record (diagnostiek) starts this schooljaar
       bool_or(list_contains(getvariable('dyslexie'), productcode)
               AND (SELECT min(d.van) FROM jh AS d WHERE d.pseudoniem = jh.pseudoniem
                    AND list_contains(getvariable('dyslexie'), d.productcode)) >= k.y0) AS dys_new
FROM jh CROSS JOIN k WHERE van <= k.y1 AND (tot IS NULL OR tot >= k.y0) GROUP BY pseudoniem;
-- Woonplaatsbeginsel: the wijk before the first verblijf, for persons in verblijf this year.
CREATE OR REPLACE TEMP TABLE wpb AS
WITH first AS (SELECT pseudoniem, min(van) AS van FROM jh WHERE verblijf AND NOT jb GROUP BY 1)
SELECT f.pseudoniem, coalesce(
    (SELECT p.wijk FROM per AS p WHERE p.pseudoniem = f.pseudoniem AND p.peildatum < f.van
     ORDER BY p.peildatum DESC LIMIT 1),
    (SELECT p.wijk FROM per AS p WHERE p.pseudoniem = f.pseudoniem ORDER BY p.peildatum LIMIT 1))
    AS wijk
FROM first AS f JOIN care AS c ON c.pseudoniem = f.pseudoniem WHERE c.verblijf;
-- Woonplaatsbeginsel also for the pupil population: a pupil in verblijf this year whose home
-- before it was in the gemeente stays the gemeente's inwoner (its youth care and leerplicht
-- data are delivered), also after moving out; placed at school level, no wijk of their own.
UPDATE pupil SET resident = true WHERE pseudoniem IN (SELECT pseudoniem FROM wpb WHERE wijk IS NOT NULL);
CREATE OR REPLACE TEMP TABLE cost AS
WITH spread AS (
    SELECT j.pseudoniem, j.kosten * (least(coalesce(j.tot, e.data_tot), e.data_tot, k.y1)
               - greatest(j.van, k.y0) + 1)
           / (greatest(least(coalesce(j.tot, e.data_tot), e.data_tot), j.van) - j.van + 1) AS kosten
    FROM jh AS j CROSS JOIN k CROSS JOIN eind AS e
    WHERE NOT j.jb AND j.van <= k.y1 AND least(coalesce(j.tot, e.data_tot), e.data_tot) >= k.y0
)
SELECT pseudoniem, round(sum(kosten), 2) AS kosten FROM spread GROUP BY pseudoniem;
-- Absoluut verzuim over the whole schooljaar, day by day: every day from 1 September to 30 June
-- (up to the end of the data) while 5 (from the month after the birthday) to 17 and without
-- startkwalificatie, on which no enrolment and no vrijstelling runs; a run of 28 such days or
-- more makes an absoluut verzuimer, the longest run is the duration.
CREATE OR REPLACE TEMP TABLE absent_run AS
WITH win AS (
    SELECT r.pseudoniem,
        greatest(make_date(year(k.peil), 9, 1),
                 (date_trunc('month', b.born + INTERVAL 5 YEAR) + INTERVAL 1 MONTH)::DATE) AS ws,
        least(make_date(year(k.peil) + 1, 6, 30), (SELECT data_tot FROM eind),
              (b.born + INTERVAL 18 YEAR)::DATE - 1, coalesce(dip.sk - 1, DATE '9999-12-31')) AS we
    FROM resident AS r CROSS JOIN k
    JOIN (SELECT pseudoniem, min(born) AS born FROM per GROUP BY 1) AS b USING (pseudoniem)
    LEFT JOIN dip USING (pseudoniem)
    WHERE r.age BETWEEN 5 AND 17 AND NOT r.sk
),
days AS (
    SELECT pseudoniem, unnest(generate_series(ws, we, INTERVAL 1 DAY))::DATE AS d
    FROM win WHERE we >= ws
),
open_days AS (
    SELECT d.* FROM days AS d
    ANTI JOIN (SELECT pseudoniem, van, coalesce(tot, DATE '9999-12-31') AS tot FROM ins
               UNION ALL
               SELECT pseudoniem, van, coalesce(tot, DATE '9999-12-31') FROM vz
               WHERE soort = 'VRIJSTELLING') AS c
        ON c.pseudoniem = d.pseudoniem AND c.van <= d.d AND c.tot >= d.d
),
runs AS (
    SELECT pseudoniem, count(*) AS n FROM (
        SELECT pseudoniem, d - (row_number() OVER (PARTITION BY pseudoniem ORDER BY d))::INT AS run
        FROM open_days)
    GROUP BY pseudoniem, run
)
SELECT pseudoniem, max(n) AS dagen FROM runs WHERE n >= 28 GROUP BY pseudoniem;
CREATE OR REPLACE TEMP TABLE thuis AS
WITH base AS (
    SELECT r.pseudoniem, r.school, r.wijk,
        r.pseudoniem IN (SELECT pseudoniem FROM absent_run) AS absoluut,
        (SELECT max(coalesce(vz.tot, e.data_tot) - vz.van + 1) FROM vz CROSS JOIN eind AS e
         WHERE vz.pseudoniem = r.pseudoniem AND vz.soort <> 'VRIJSTELLING'
           AND (vz.soort = 'LANGDURIG_RELATIEF' OR vz.tz)
           AND vz.van <= k.y1 AND coalesce(vz.tot, e.data_tot) >= k.y0) AS langdurig_dagen,
        (SELECT a.dagen FROM absent_run AS a WHERE a.pseudoniem = r.pseudoniem) AS absoluut_dagen
    FROM resident AS r CROSS JOIN k WHERE r.age BETWEEN 5 AND 17 AND NOT r.sk
)
SELECT pseudoniem, school, wijk, absoluut, langdurig_dagen IS NOT NULL AS langdurig,
    CASE WHEN NOT absoluut AND langdurig_dagen IS NULL THEN NULL
         WHEN greatest(CASE WHEN absoluut THEN absoluut_dagen ELSE 0 END,
                       coalesce(langdurig_dagen, 0)) < 91 THEN 'kort'
         WHEN greatest(CASE WHEN absoluut THEN absoluut_dagen ELSE 0 END,
                       coalesce(langdurig_dagen, 0)) <= 182 THEN 'midden'
         ELSE 'lang' END AS duur
FROM base;
-- One row per indicator unit: indicator, school (or NULL), wijk (or NULL), teller, noemer.
CREATE OR REPLACE TEMP TABLE units AS
SELECT 'jeugdhulp_leerlingen' AS id, p.school, p.wijk, coalesce(c.hulp, false)::INT AS t, 1 AS n
FROM pupil AS p LEFT JOIN care AS c ON c.pseudoniem = p.pseudoniem WHERE p.resident
UNION ALL
SELECT 'jeugdbescherming_leerlingen', NULL, p.wijk, coalesce(c.jb, false)::INT, 1
FROM pupil AS p LEFT JOIN care AS c ON c.pseudoniem = p.pseudoniem WHERE p.resident
UNION ALL
SELECT 'jeugdhulp_verblijf', p.school, coalesce(w.wijk, p.wijk), coalesce(c.verblijf, false)::INT, 1
FROM pupil AS p LEFT JOIN care AS c ON c.pseudoniem = p.pseudoniem LEFT JOIN wpb AS w ON w.pseudoniem = p.pseudoniem
WHERE p.resident OR w.wijk IS NOT NULL
UNION ALL
SELECT 'jeugdhulp_verblijf_aandeel', NULL, coalesce(w.wijk, p.wijk), c.verblijf::INT, 1
FROM pupil AS p JOIN care AS c ON c.pseudoniem = p.pseudoniem LEFT JOIN wpb AS w ON w.pseudoniem = p.pseudoniem
WHERE (p.resident OR w.wijk IS NOT NULL) AND c.hulp
UNION ALL
SELECT 'jeugdhulp_kosten_per_traject', e.school,
       coalesce(w.wijk, (SELECT wijk FROM per WHERE per.pseudoniem = c.pseudoniem
                         AND per.peildatum = (SELECT peil FROM k))), c.kosten, 1
FROM cost AS c LEFT JOIN placed AS e ON e.pseudoniem = c.pseudoniem
LEFT JOIN wpb AS w ON w.pseudoniem = c.pseudoniem
UNION ALL
SELECT 'dyslexiezorg_po', p.school, p.wijk, coalesce(c.dys, false)::INT, 1
FROM pupil AS p LEFT JOIN care AS c ON c.pseudoniem = p.pseudoniem
WHERE p.resident AND p.soort IN ('BAO', 'SBAO') AND p.age BETWEEN 7 AND 12
UNION ALL
SELECT 'dyslexiezorg_nieuw', p.school, p.wijk, coalesce(c.dys_new, false)::INT, 1
FROM pupil AS p LEFT JOIN care AS c ON c.pseudoniem = p.pseudoniem
WHERE p.resident AND p.soort IN ('BAO', 'SBAO') AND p.age BETWEEN 7 AND 12
UNION ALL
SELECT 'verwijzing_huisarts', e.school, h.wijk, (j.verwijzer = '02')::INT, 1
FROM jh AS j CROSS JOIN k
LEFT JOIN placed AS e ON e.pseudoniem = j.pseudoniem
LEFT JOIN per AS h ON h.pseudoniem = j.pseudoniem AND h.peildatum = k.peil
WHERE NOT j.jb AND j.van BETWEEN k.y0 AND k.y1 AND j.verwijzer NOT IN ('', '06')
UNION ALL
SELECT 'thuiszitters', school, wijk, (absoluut OR langdurig)::INT, 1 FROM thuis
UNION ALL
SELECT 'thuiszitters_soort_absoluut', NULL, wijk, absoluut::INT, 1 FROM thuis
UNION ALL
SELECT 'thuiszitters_soort_langdurig_relatief', NULL, wijk, langdurig::INT, 1 FROM thuis
UNION ALL
SELECT 'thuiszitters_duur_' || d, NULL, wijk, coalesce(duur = d, false)::INT, 1
FROM thuis CROSS JOIN (VALUES ('kort'), ('midden'), ('lang')) AS durations(d)
UNION ALL
SELECT 'verzuim_relatief', coalesce(
        (SELECT v.school FROM vz AS v CROSS JOIN k WHERE v.pseudoniem = p.pseudoniem
         AND v.soort IN ('RELATIEF_16U', 'LANGDURIG_RELATIEF') AND v.van BETWEEN k.y0 AND k.y1
         ORDER BY v.van, v.school LIMIT 1), p.school), p.wijk,
    EXISTS (SELECT 1 FROM vz AS v CROSS JOIN k WHERE v.pseudoniem = p.pseudoniem
        AND v.soort IN ('RELATIEF_16U', 'LANGDURIG_RELATIEF') AND v.van BETWEEN k.y0 AND k.y1)::INT, 1
FROM pupil AS p WHERE p.resident AND p.age BETWEEN 5 AND 17
UNION ALL
SELECT 'vsv', p.school, p.wijk,
    (nx.pseudoniem IS NOT NULL AND en.pseudoniem IS NULL AND NOT p.sk_next)::INT, 1
FROM pupil AS p CROSS JOIN k
LEFT JOIN per AS nx ON nx.pseudoniem = p.pseudoniem AND nx.peildatum = k.nxt
LEFT JOIN school_on((SELECT nxt FROM k)) AS en ON en.pseudoniem = p.pseudoniem
WHERE p.resident AND p.age BETWEEN 12 AND 22 AND NOT p.po AND p.soort NOT IN ('PRO', 'VSO')
  AND (nx.pseudoniem IS NOT NULL OR en.pseudoniem IS NOT NULL)
UNION ALL
SELECT 'schoolverlaters_startkwalificatie', p.school, p.wijk, p.sk_next::INT, 1
FROM pupil AS p CROSS JOIN k
JOIN per AS nx ON nx.pseudoniem = p.pseudoniem AND nx.peildatum = k.nxt
ANTI JOIN school_on((SELECT nxt FROM k)) AS en ON en.pseudoniem = p.pseudoniem
WHERE p.resident AND NOT p.po
UNION ALL
SELECT 'startkwalificatie', school, wijk, sk::INT, 1 FROM resident WHERE age BETWEEN 18 AND 22
UNION ALL
SELECT 'rmc_zonder_startkwalificatie', school, wijk, (NOT enrolled AND NOT sk)::INT, 1
FROM resident WHERE age BETWEEN 18 AND 22
UNION ALL
SELECT 'speciaal_onderwijs', school, wijk, (soort IN ('SBAO', 'SO', 'VSO'))::INT, 1
FROM pupil WHERE NOT mbo
UNION ALL
SELECT 'instroom_speciaal_onderwijs', p.school, p.wijk,
    EXISTS (SELECT 1 FROM ins AS i CROSS JOIN k WHERE i.pseudoniem = p.pseudoniem
        AND i.soort IN ('SBAO', 'SO', 'VSO') AND i.van > k.peil AND i.van <= k.nxt)::INT, 1
FROM pupil AS p WHERE p.resident AND NOT p.mbo AND p.soort NOT IN ('SBAO', 'SO', 'VSO')
UNION ALL
SELECT 'jeugdhulp_onderwijssoort_' || CASE
        WHEN r.soort IS NULL AND r.age <= 17 THEN 'niet_ingeschreven_4_17'
        WHEN r.soort IS NULL AND r.sk THEN 'niet_ingeschreven_18_22_met_sk'
        WHEN r.soort IS NULL THEN 'niet_ingeschreven_18_22_zonder_sk'
        WHEN r.soort IN ('HBO', 'WO') THEN 'ho'
        WHEN r.soort LIKE 'VMBO%' THEN 'vmbo' WHEN r.soort LIKE 'MBO%' THEN 'mbo'
        ELSE lower(r.soort) END, NULL, r.wijk, coalesce(c.hulp, false)::INT, 1
FROM resident AS r LEFT JOIN care AS c ON c.pseudoniem = r.pseudoniem WHERE r.age BETWEEN 4 AND 22
UNION ALL
SELECT 'jeugdhulp_jongeren', NULL, r.wijk, coalesce(c.hulp OR c.jb, false)::INT, 1
FROM resident AS r LEFT JOIN care AS c ON c.pseudoniem = r.pseudoniem WHERE r.age BETWEEN 0 AND 22
UNION ALL
SELECT 'jeugdhulp_volgens_plan', e.school, h.wijk, (j.reden = '01')::INT, 1
FROM jh AS j CROSS JOIN k
LEFT JOIN placed AS e ON e.pseudoniem = j.pseudoniem
LEFT JOIN per AS h ON h.pseudoniem = j.pseudoniem AND h.peildatum = k.peil
WHERE NOT j.jb AND j.tot BETWEEN k.y0 AND k.y1
UNION ALL
SELECT 'jeugdhulp_herhaald', NULL, h.wijk,
    EXISTS (SELECT 1 FROM jh AS n WHERE n.pseudoniem = j.pseudoniem AND NOT n.jb
        AND n.van > j.tot AND n.van <= j.tot + 365)::INT, 1
FROM jh AS j CROSS JOIN k CROSS JOIN eind AS e
LEFT JOIN per AS h ON h.pseudoniem = j.pseudoniem AND h.peildatum = k.peil
WHERE NOT j.jb AND j.tot BETWEEN k.y0 AND k.y1 AND k.y1 + 365 <= e.data_tot;
CREATE OR REPLACE TEMP TABLE expected AS
SELECT id AS indicator_id, 'school' AS level, school AS area_code, sum(t) AS numerator,
       sum(n) AS denominator, median(t) AS median
FROM units WHERE school IS NOT NULL GROUP BY ALL
UNION ALL
SELECT id, 'wijk', wijk, sum(t), sum(n), median(t) FROM units WHERE wijk IS NOT NULL GROUP BY ALL
UNION ALL
SELECT id, 'gemeente', 'GM' || substr(wijk, 3, 4), sum(t), sum(n), median(t) FROM units
WHERE wijk IS NOT NULL GROUP BY ALL;
-- Coverage: resident pupils / DUO's public count per vestiging (no count: no coverage).
CREATE OR REPLACE TEMP TABLE sch AS SELECT vestigingscode AS school,
    coalesce(NULLIF(swv_po, ''), CASE WHEN swv LIKE 'PO-%' THEN swv END) AS swv_po,
    coalesce(NULLIF(swv_vo, ''), CASE WHEN swv LIKE 'VO-%' THEN swv END) AS swv_vo, swv
FROM read_csv(getvariable('scholen_utf8'), delim = ';', header = true, all_varchar = true);
CREATE OR REPLACE TEMP TABLE duo AS SELECT "VESTIGINGSCODE" AS school,
    CASE WHEN "ONDERWIJSSOORT" IN ('BAO', 'SBAO', 'SO') THEN 'PO' ELSE "ONDERWIJSSOORT" END AS sector,
    "AANTAL LEERLINGEN"::INT AS n
FROM read_csv(getvariable('dir') || '/leerlingen_per_vestiging.csv', delim = ';', header = true,
              all_varchar = true)
WHERE strptime("PEILDATUM", '%Y%m%d')::DATE = getvariable('peil')::DATE;
CREATE OR REPLACE TEMP TABLE pupil_swv AS
-- Each pupil at the swv of their sector: an SO/VSO school's SO pupils at its PO-swv, its VSO
-- pupils at its VO-swv (a school registered without the sector: its own swv).
SELECT p.school, p.resident, CASE WHEN p.mbo THEN NULL
    WHEN p.po THEN coalesce(s.swv_po, s.swv) ELSE coalesce(s.swv_vo, s.swv) END AS swv
FROM pupil AS p LEFT JOIN sch AS s USING (school);
CREATE OR REPLACE TEMP TABLE expected_coverage AS
SELECT 'school' AS level, school AS area_code,
    least(count_if(resident) / (SELECT sum(n) FROM duo WHERE duo.school = pupil_swv.school), 1)
        AS coverage
FROM pupil_swv GROUP BY school
UNION ALL
SELECT 'swv', swv, least(sum(r) / sum(d), 1) FROM (
    SELECT ps.swv, ps.school, count_if(ps.resident) AS r,
        (SELECT sum(n) FROM duo JOIN sch USING (school) WHERE duo.school = ps.school
         AND CASE WHEN duo.sector = 'PO' THEN coalesce(sch.swv_po, sch.swv)
                  WHEN duo.sector = 'MBO' THEN NULL
                  ELSE coalesce(sch.swv_vo, sch.swv) END = ps.swv) AS d
    FROM pupil_swv AS ps WHERE ps.swv IS NOT NULL GROUP BY ps.swv, ps.school)
GROUP BY swv;
