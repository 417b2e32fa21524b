-- The level of a row of a GROUPING SETS pass over the placement columns
-- (vestigingscode, bevoegd_gezag, swv, wijkcode, gemeentecode, regiocode): exactly one is
-- grouped; or vestigingscode and swv both: a school's part in one swv (levels.SCHOOL_PART).
CREATE OR REPLACE MACRO placement_level(grouping_mask) AS CASE grouping_mask
    WHEN 31 THEN 'school'
    WHEN 47 THEN 'bestuur'
    WHEN 55 THEN 'swv'
    WHEN 59 THEN 'wijk'
    WHEN 61 THEN 'gemeente'
    WHEN 62 THEN 'regio'
    WHEN 23 THEN 'schooldeel'
END;
