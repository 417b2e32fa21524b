-- Normalised codes, shared by the staging models.
CREATE OR REPLACE MACRO norm_code(v) AS upper(replace(trim(v), ' ', ''));
-- DUO and iJw use the bare 4-digit gemeentenummer; CBS uses GM + 4 digits.
CREATE OR REPLACE MACRO norm_gemeentecode(v) AS
    CASE WHEN regexp_full_match(trim(v), '\d{1,4}') THEN 'GM' || lpad(trim(v), 4, '0')
         ELSE norm_code(v) END;
