-- depends: intermediate.dim_schooljaar
-- First and last schooljaar of the delivery: the label of the multi-year figure.
SELECT min(schooljaar) AS first, max(schooljaar) AS last FROM intermediate.dim_schooljaar
