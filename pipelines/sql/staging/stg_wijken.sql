-- depends:
-- CBS wijken of the municipality.
SELECT norm_code(statcode) AS wijkcode, statnaam AS wijknaam, geometry_json
FROM landing.wijken
