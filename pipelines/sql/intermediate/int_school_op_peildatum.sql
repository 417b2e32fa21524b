-- depends: intermediate.int_ingeschreven_op_peildatum, staging.stg_scholen
-- Where a youth-care figure is placed at school: the school a person attends on the
-- peildatum, with its bestuur and the swv of the pupil's sector (swv_for). No figure is placed
-- at an hbo/wo instelling, so those enrolments are left out.
SELECT
    e.peildatum,
    e.pseudoniem,
    e.vestigingscode,
    s.brin,
    s.bevoegd_gezag,
    swv_for(e.onderwijssoort, s.swv_po, s.swv_vo, s.swv) AS swv
FROM intermediate.int_ingeschreven_op_peildatum AS e
LEFT JOIN staging.stg_scholen AS s ON s.vestigingscode = e.vestigingscode
WHERE e.onderwijssoort NOT IN ('HBO', 'WO')
