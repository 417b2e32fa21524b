-- Typed parsing of partner values (docs/architecture.md): explicit, never guessed.
-- A non-empty value that does not parse gives NULL; the loader quarantines that row.
CREATE OR REPLACE MACRO parse_text(v) AS NULLIF(trim(v), '');
CREATE OR REPLACE MACRO parse_date(v) AS
    try_strptime(NULLIF(trim(v), ''), ['%Y%m%d', '%Y-%m-%d', '%d-%m-%Y'])::DATE;
CREATE OR REPLACE MACRO parse_integer(v) AS TRY_CAST(NULLIF(trim(v), '') AS INTEGER);
-- Decimal comma (1.234,56) or point (1234.56).
CREATE OR REPLACE MACRO parse_decimal(v) AS TRY_CAST(
    CASE WHEN contains(trim(v), ',') THEN replace(replace(trim(v), '.', ''), ',', '.')
         ELSE NULLIF(trim(v), '') END AS DOUBLE);
