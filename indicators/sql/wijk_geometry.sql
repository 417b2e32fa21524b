-- depends: staging.stg_wijken
-- The CBS wijk shapes the dashboard map draws.
SELECT wijkcode, wijknaam, geometry_json AS geojson FROM staging.stg_wijken ORDER BY wijkcode
