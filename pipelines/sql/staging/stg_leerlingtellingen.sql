-- depends:
-- DUO's public pupil counts per vestiging on 1 oktober (open onderwijsdata): every pupil of the
-- school, wherever they live; the denominator of coverage. One row per vestiging x peildatum x
-- sector: SO and VSO of one vestiging apart (their pupils belong to different swv's); rows a
-- file repeats for one vestiging, peildatum and soort are added up.
SELECT
    norm_code(vestigingscode) AS vestigingscode,
    peildatum,
    CASE WHEN norm_code(onderwijssoort) IN ('BAO', 'SBAO', 'SO') THEN 'PO'
         WHEN norm_code(onderwijssoort) LIKE 'MBO%' THEN 'MBO'
         WHEN onderwijssoort IS NULL THEN 'ALLE'  -- the whole vestiging, no soort given
         ELSE 'VO' END AS sector,
    sum(aantal)::BIGINT AS aantal
FROM landing.leerlingtellingen
WHERE vestigingscode IS NOT NULL AND peildatum IS NOT NULL AND aantal IS NOT NULL
GROUP BY ALL
