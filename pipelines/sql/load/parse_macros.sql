-- Typed parsing of partner values (DESIGN.md §3): explicit, never guessed.
-- A non-empty value that does not parse gives NULL; the loader quarantines that row.
CREATE OR REPLACE MACRO parse_text(v) AS NULLIF(trim(v), '');
CREATE OR REPLACE MACRO parse_date(v) AS
    try_strptime(NULLIF(trim(v), ''), ['%Y%m%d', '%Y-%m-%d', '%d-%m-%Y'])::DATE;
CREATE OR REPLACE MACRO parse_integer(v) AS TRY_CAST(NULLIF(trim(v), '') AS INTEGER);
-- Decimal comma (1.234,56) or point (1234.56).
CREATE OR REPLACE MACRO parse_decimal(v) AS TRY_CAST(
    CASE WHEN contains(trim(v), ',') THEN replace(replace(trim(v), '.', ''), ',', '.')
         ELSE NULLIF(trim(v), '') END AS DOUBLE);

-- Normalised codes, shared by the staging models.
CREATE OR REPLACE MACRO norm_code(v) AS upper(replace(trim(v), ' ', ''));
-- DUO and iJw use the bare 4-digit gemeentenummer; CBS uses GM + 4 digits.
CREATE OR REPLACE MACRO norm_gemeentecode(v) AS
    CASE WHEN regexp_full_match(trim(v), '\d{1,4}') THEN 'GM' || lpad(trim(v), 4, '0')
         ELSE norm_code(v) END;
-- Whole years of age on a date.
CREATE OR REPLACE MACRO age_on(birth, on_date) AS date_part('year', age(on_date, birth));
-- A value that looks like a BSN: 8 or 9 digits passing the elfproef (11-test).
CREATE OR REPLACE MACRO is_bsn(v) AS coalesce(
    regexp_full_match(v, '\d{8,9}') AND (
        9 * TRY_CAST(substr(lpad(v, 9, '0'), 1, 1) AS INTEGER)
        + 8 * TRY_CAST(substr(lpad(v, 9, '0'), 2, 1) AS INTEGER)
        + 7 * TRY_CAST(substr(lpad(v, 9, '0'), 3, 1) AS INTEGER) + 6 * TRY_CAST(substr(lpad(v, 9, '0'), 4, 1) AS INTEGER)
        + 5 * TRY_CAST(substr(lpad(v, 9, '0'), 5, 1) AS INTEGER) + 4 * TRY_CAST(substr(lpad(v, 9, '0'), 6, 1) AS INTEGER)
        + 3 * TRY_CAST(substr(lpad(v, 9, '0'), 7, 1) AS INTEGER) + 2 * TRY_CAST(substr(lpad(v, 9, '0'), 8, 1) AS INTEGER)
        - TRY_CAST(substr(lpad(v, 9, '0'), 9, 1) AS INTEGER)) % 11 = 0,
    false);
