-- depends: intermediate.dim_schooljaar, intermediate.int_ingeschreven_op_peildatum, intermediate.int_jeugdhulp_per_jaar, intermediate.int_persoon, intermediate.int_swv_woongemeente, intermediate.int_verzuim_per_jaar, intermediate.int_woonplaats_jaar, staging.stg_inschrijvingen, staging.stg_personen, staging.stg_scholen
-- One row per pupil × schooljaar: enrolled on 1 oktober, placed at school (school, bestuur, swv
-- of the pupil's sector: SBAO/SO at the school's PO-swv, VSO at its VO-swv)
-- and at home (wijk, gemeente), with every fact the pupil indicators need.
-- inwoner: lives in a delivering gemeente (or falls under its woonplaatsbeginsel): only for
-- them are youth care and leerplicht data delivered, so only they count in those indicators.
-- Alternative placements some indicators use (catalogue `plaatsing`): *_wpb = home before the
-- first verblijf (woonplaatsbeginsel), *_melder = the school that reported the verzuim,
-- swv_woonadres = the swv of the home address (passend onderwijs).
WITH pupils AS (
    SELECT j.schooljaar, j.peildatum, j.peildatum_next, j.vsv_bekend, e.*  EXCLUDE (peildatum)
    FROM intermediate.int_ingeschreven_op_peildatum AS e
    JOIN intermediate.dim_schooljaar AS j USING (peildatum)
    -- Students in hbo/wo are no pupils (their enrolment still counts as 'ingeschreven' a year
    -- later: a school leaver leaves all funded education).
    WHERE e.onderwijssoort NOT IN ('HBO', 'WO')
),
next_year AS (
    SELECT p.pseudoniem, p.schooljaar,
           e.pseudoniem IS NOT NULL AS ingeschreven,
           home.pseudoniem IS NOT NULL AS inwoner,
           bool_or(later.pseudoniem IS NOT NULL) AS naar_speciaal
    FROM pupils AS p
    LEFT JOIN intermediate.int_ingeschreven_op_peildatum AS e
        ON e.pseudoniem = p.pseudoniem AND e.peildatum = p.peildatum_next
    LEFT JOIN staging.stg_personen AS home
        ON home.pseudoniem = p.pseudoniem AND home.peildatum = p.peildatum_next
    -- Only special-education enrolments can make it true: joining every enrolment of every
    -- pupil does not fit in memory at national size.
    LEFT JOIN (SELECT pseudoniem, datum_inschrijving FROM staging.stg_inschrijvingen
               WHERE onderwijssoort IN ('SBAO', 'SO', 'VSO')) AS later
        ON later.pseudoniem = p.pseudoniem
        AND later.datum_inschrijving > p.peildatum AND later.datum_inschrijving <= p.peildatum_next
    WHERE p.vsv_bekend
    GROUP BY ALL
),
enriched AS (
    SELECT
        p.schooljaar,
        p.pseudoniem,
        p.vestigingscode,
        s.brin,
        s.bevoegd_gezag,
        swv_for(p.onderwijssoort, s.swv_po, s.swv_vo, s.swv) AS swv,
        s.school_soort,
        p.onderwijssoort,
        p.leerjaar,
        CASE WHEN p.onderwijssoort IN ('BAO', 'SBAO', 'SO') THEN 'PO'
             WHEN p.onderwijssoort LIKE 'MBO%' THEN 'MBO'
             ELSE 'VO' END AS sector,
        age_on(pe.geboortedatum, p.peildatum) AS leeftijd,
        pe.geslacht,
        home.wijkcode,
        home.gemeentecode,
        wpb.wijkcode AS wijkcode_wpb,
        wpb.gemeentecode AS gemeentecode_wpb,
        swv_woonadres(p.onderwijssoort, age_on(pe.geboortedatum, p.peildatum), sw.swv_po,
                      sw.swv_vo) AS swv_woonadres,
        coalesce(home.gemeentecode, wpb.gemeentecode) IS NOT NULL AS inwoner,
        coalesce(jh.jeugdhulp, false) AS jeugdhulp,
        coalesce(jh.jeugdbescherming, false) AS jeugdbescherming,
        coalesce(jh.jeugdhulp_verblijf, false) AS jeugdhulp_verblijf,
        coalesce(jh.dyslexiezorg, false) AS dyslexiezorg,
        coalesce(jh.dyslexie_nieuw, false) AS dyslexie_nieuw,
        coalesce(vz.verzuim_relatief, false) AS verzuim_relatief,
        coalesce(vz.melder_vestigingscode, p.vestigingscode) AS vestigingscode_melder,
        coalesce(pe.startkwalificatie_datum <= p.peildatum_next, false) AS startkwalificatie,
        p.vsv_bekend,
        nx.ingeschreven AS ingeschreven_volgend_jaar,
        nx.inwoner AS inwoner_volgend_jaar,
        coalesce(nx.naar_speciaal, false) AS naar_speciaal,
        p.onderwijssoort IN ('SBAO', 'SO', 'VSO') AS speciaal_onderwijs
    FROM pupils AS p
    LEFT JOIN staging.stg_scholen AS s USING (vestigingscode)
    LEFT JOIN intermediate.int_persoon AS pe USING (pseudoniem)
    LEFT JOIN staging.stg_personen AS home
        ON home.pseudoniem = p.pseudoniem AND home.peildatum = p.peildatum
    LEFT JOIN intermediate.int_woonplaats_jaar AS wpb
        ON wpb.pseudoniem = p.pseudoniem AND wpb.schooljaar = p.schooljaar
    LEFT JOIN intermediate.int_swv_woongemeente AS sw
        ON sw.gemeentecode = coalesce(home.gemeentecode, wpb.gemeentecode)
    LEFT JOIN intermediate.int_jeugdhulp_per_jaar AS jh
        ON jh.pseudoniem = p.pseudoniem AND jh.schooljaar = p.schooljaar
    LEFT JOIN intermediate.int_verzuim_per_jaar AS vz
        ON vz.pseudoniem = p.pseudoniem AND vz.schooljaar = p.schooljaar
    LEFT JOIN next_year AS nx
        ON nx.pseudoniem = p.pseudoniem AND nx.schooljaar = p.schooljaar
)
SELECT
    e.* EXCLUDE (vsv_bekend),
    m.bevoegd_gezag AS bevoegd_gezag_melder,
    swv_for(e.onderwijssoort, m.swv_po, m.swv_vo, m.swv) AS swv_melder,
    -- vsv as DUO counts it: aged 12-22 on 1 oktober t in vo (not praktijkonderwijs or vso,
    -- which DUO leaves out) or mbo, not enrolled on 1 oktober t+1, no startkwalificatie by
    -- then. Residents on 1 oktober t; DUO drops only who emigrated or died, so a pupil who
    -- moved away stays in numerator and denominator where the next enrolment is delivered
    -- (then no vsv'er); one who left the BRP without a delivered enrolment cannot be told from
    -- an emigrant and is left out (before, they stayed in the denominator and could never
    -- count). For pupils living elsewhere nothing is known.
    -- NULL = outside the population or not yet known (enrolment not delivered to t+1).
    CASE WHEN vsv_bekend AND inwoner AND leeftijd BETWEEN 12 AND 22
              AND sector IN ('VO', 'MBO') AND onderwijssoort NOT IN ('PRO', 'VSO')
              AND (inwoner_volgend_jaar OR ingeschreven_volgend_jaar)
         THEN NOT ingeschreven_volgend_jaar AND NOT startkwalificatie
    END AS vsv,
    -- Schoolverlaters: residents in vo (incl. pro, vso) or mbo on 1 oktober t who are no
    -- longer enrolled on 1 oktober t+1 and still live in the municipality; TRUE = with
    -- startkwalificatie. NULL = not a leaver (or not yet known).
    CASE WHEN vsv_bekend AND inwoner AND inwoner_volgend_jaar AND sector IN ('VO', 'MBO')
              AND NOT ingeschreven_volgend_jaar
         THEN startkwalificatie END AS schoolverlater_startkwalificatie,
    -- Instroom speciaal onderwijs: regular pupils (bao, vo, pro) on 1 oktober t with an
    -- enrolment in sbao, so or vso starting after it and on or before 1 oktober t+1.
    CASE WHEN vsv_bekend AND onderwijssoort NOT IN ('SBAO', 'SO', 'VSO')
              AND sector IN ('PO', 'VO')
         THEN naar_speciaal END AS instroom_speciaal
FROM enriched AS e
LEFT JOIN staging.stg_scholen AS m ON m.vestigingscode = e.vestigingscode_melder
