-- The level of a row of a GROUPING SETS pass over the placement columns
-- (vestigingscode, bevoegd_gezag, swv, wijkcode, gemeentecode): exactly one is grouped.
CREATE OR REPLACE MACRO placement_level(grouping_mask) AS CASE grouping_mask
    WHEN 15 THEN 'school'
    WHEN 23 THEN 'bestuur'
    WHEN 27 THEN 'swv'
    WHEN 29 THEN 'wijk'
    WHEN 30 THEN 'gemeente'
END;
