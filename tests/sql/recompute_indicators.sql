-- Independent recomputation, for the slow test only: every indicator at school and wijk level
-- for one schooljaar, straight from the landing CSVs, written from the catalogue's definitions
-- without the pipeline's models. Variables: dir (landing folder), peil (1 oktober of the
-- schooljaar), dyslexie (product codes). Result: table expected(indicator_id, level,
-- area_code, numerator, denominator, value).
CREATE OR REPLACE MACRO d8(v) AS strptime(NULLIF(v, ''), '%Y%m%d')::DATE;
CREATE OR REPLACE MACRO years(born, on_day) AS date_part('year', age(on_day, born));
CREATE OR REPLACE TEMP TABLE k AS SELECT
    getvariable('peil')::DATE AS peil,
    (getvariable('peil')::DATE + INTERVAL 1 YEAR)::DATE AS nxt,
    make_date(year(getvariable('peil')::DATE), 8, 1) AS y0,
    make_date(year(getvariable('peil')::DATE) + 1, 7, 31) AS y1;
-- personen carries the age on its peildatum (privacy/minimise.py): born = the latest birth date
-- with that age, exact for ages on every 1 oktober.
CREATE OR REPLACE TEMP TABLE per AS SELECT pseudoniem,
    make_date(year(peildatum::DATE) - leeftijd::INTEGER, month(peildatum::DATE),
              day(peildatum::DATE)) AS born,
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
CREATE OR REPLACE TEMP TABLE pupil AS
SELECT e.*, h.wijk, years(b.born, k.peil) AS age, h.pseudoniem IS NOT NULL AS resident,
       coalesce(dip.sk <= k.nxt, false) AS sk_next,
       e.soort IN ('BAO', 'SBAO', 'SO') AS po, e.soort LIKE 'MBO%' AS mbo
FROM school_on((SELECT peil FROM k)) AS e CROSS JOIN k
LEFT JOIN per AS h ON h.pseudoniem = e.pseudoniem AND h.peildatum = k.peil
LEFT JOIN (SELECT pseudoniem, min(born) AS born FROM per GROUP BY 1) AS b
    ON b.pseudoniem = e.pseudoniem
LEFT JOIN dip ON dip.pseudoniem = e.pseudoniem;
CREATE OR REPLACE TEMP TABLE resident AS
SELECT h.pseudoniem, h.wijk, years(h.born, k.peil) AS age, coalesce(dip.sk <= k.peil, false) AS sk,
       e.school IS NOT NULL AS enrolled,
       (SELECT i.school FROM ins AS i WHERE i.pseudoniem = h.pseudoniem AND i.van <= k.peil
        ORDER BY i.van DESC, i.school LIMIT 1) AS school
FROM per AS h CROSS JOIN k
LEFT JOIN school_on((SELECT peil FROM k)) AS e ON e.pseudoniem = h.pseudoniem
LEFT JOIN dip ON dip.pseudoniem = h.pseudoniem
WHERE h.peildatum = k.peil;
-- Care in the schooljaar per person (jeugdhulp = not productcategorie 47/48).
CREATE OR REPLACE TEMP TABLE care AS
SELECT pseudoniem, bool_or(NOT jb) AS hulp, bool_or(jb) AS jb, bool_or(verblijf AND NOT jb) AS verblijf,
       bool_or(list_contains(getvariable('dyslexie'), productcode)) AS dys,
       bool_or(list_contains(getvariable('dyslexie'), productcode) AND van >= k.y0) AS dys_new
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
CREATE OR REPLACE TEMP TABLE thuis AS
WITH base AS (
    SELECT r.pseudoniem, r.school, r.wijk,
        NOT r.enrolled AND NOT EXISTS (SELECT 1 FROM vz WHERE vz.pseudoniem = r.pseudoniem
            AND vz.soort = 'VRIJSTELLING' AND vz.van <= k.peil
            AND (vz.tot IS NULL OR vz.tot >= k.peil)) AS absoluut,
        (SELECT max(coalesce(vz.tot, e.data_tot) - vz.van + 1) FROM vz CROSS JOIN eind AS e
         WHERE vz.pseudoniem = r.pseudoniem AND vz.soort <> 'VRIJSTELLING'
           AND (vz.soort = 'LANGDURIG_RELATIEF' OR vz.tz)
           AND vz.van <= k.y1 AND coalesce(vz.tot, e.data_tot) >= k.y0) AS langdurig_dagen,
        coalesce((SELECT min(i.van) FROM ins AS i WHERE i.pseudoniem = r.pseudoniem
                  AND i.van > k.peil), (SELECT data_tot FROM eind))
        - coalesce((SELECT max(i.tot) FROM ins AS i WHERE i.pseudoniem = r.pseudoniem
                    AND i.tot < k.peil), k.peil) + 1 AS absoluut_dagen
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
FROM cost AS c LEFT JOIN school_on((SELECT peil FROM k)) AS e ON e.pseudoniem = c.pseudoniem
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
LEFT JOIN school_on((SELECT peil FROM k)) AS e ON e.pseudoniem = j.pseudoniem
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
FROM pupil AS p WHERE NOT p.mbo AND p.soort NOT IN ('SBAO', 'SO', 'VSO')
UNION ALL
SELECT 'jeugdhulp_jongeren', NULL, r.wijk, coalesce(c.hulp, false)::INT, 1
FROM resident AS r LEFT JOIN care AS c ON c.pseudoniem = r.pseudoniem WHERE r.age BETWEEN 0 AND 22
UNION ALL
SELECT 'jeugdhulp_volgens_plan', e.school, h.wijk, (j.reden = '01')::INT, 1
FROM jh AS j CROSS JOIN k
LEFT JOIN school_on((SELECT peil FROM k)) AS e ON e.pseudoniem = j.pseudoniem
LEFT JOIN per AS h ON h.pseudoniem = j.pseudoniem AND h.peildatum = k.peil
WHERE NOT j.jb AND j.tot BETWEEN k.y0 AND k.y1
UNION ALL
SELECT 'jeugdhulp_herhaald', NULL, h.wijk,
    EXISTS (SELECT 1 FROM jh AS n WHERE n.pseudoniem = j.pseudoniem AND NOT n.jb
        AND n.van > j.tot AND n.van <= j.tot + 365)::INT, 1
FROM jh AS j CROSS JOIN k CROSS JOIN eind AS e
LEFT JOIN per AS h ON h.pseudoniem = j.pseudoniem AND h.peildatum = k.peil
WHERE NOT j.jb AND j.tot BETWEEN k.y0 AND k.y1 AND j.tot + 365 <= e.data_tot;
CREATE OR REPLACE TEMP TABLE expected AS
SELECT id AS indicator_id, 'school' AS level, school AS area_code, sum(t) AS numerator,
       sum(n) AS denominator, median(t) AS median
FROM units WHERE school IS NOT NULL GROUP BY ALL
UNION ALL
SELECT id, 'wijk', wijk, sum(t), sum(n), median(t) FROM units WHERE wijk IS NOT NULL GROUP BY ALL;
