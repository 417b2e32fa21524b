-- Normalised codes, shared by the staging models.
CREATE OR REPLACE MACRO norm_code(v) AS upper(replace(trim(v), ' ', ''));
-- DUO and iJw use the bare 4-digit gemeentenummer; CBS uses GM + 4 digits.
CREATE OR REPLACE MACRO norm_gemeentecode(v) AS
    CASE WHEN regexp_full_match(trim(v), '\d{1,4}') THEN 'GM' || lpad(trim(v), 4, '0')
         ELSE norm_code(v) END;
-- The samenwerkingsverband a pupil of this onderwijssoort counts at (passend onderwijs): BAO,
-- SBAO and SO at the school's PO-swv, VO, PRO and VSO at its VO-swv, MBO at none. A school in
-- both (SO/VSO) thus splits: its SO pupils at the PO-swv, its VSO pupils at the VO-swv
-- (disclosure control models the two parts as cells of their own, mart.school_parts). A school
-- registered without the pupil's sector falls back to its own swv.
CREATE OR REPLACE MACRO swv_for(soort, swv_po, swv_vo, swv) AS
    CASE WHEN soort LIKE 'MBO%' THEN NULL
         WHEN soort IN ('BAO', 'SBAO', 'SO') THEN coalesce(swv_po, swv)
         ELSE coalesce(swv_vo, swv) END;
