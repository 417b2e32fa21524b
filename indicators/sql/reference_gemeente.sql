-- depends: {schema}.indicator_values
-- The published (disclosure-controlled) value of every gemeente as reference; with several
-- gemeenten in one run, each gemeente is its own reference row.
SELECT indicator_id, period, 'gemeente' AS reference, value,
       'Eigen gemeente (' || area_name || ')' AS bron, area_code AS gemeentecode
FROM {schema}.indicator_values
WHERE level = 'gemeente' AND value IS NOT NULL
