-- A value that looks like a BSN, the same rule as privacy/bsn.py (normalise_bsn + is_valid_bsn):
-- spaces and dots removed, 8 digits (Excel dropped a leading 0) or 9, passing the elfproef.
CREATE OR REPLACE MACRO bsn_digits(v) AS replace(replace(trim(v), ' ', ''), '.', '');
CREATE OR REPLACE MACRO is_bsn(v) AS coalesce(
    regexp_full_match(bsn_digits(v), '[0-9]{8,9}')
    AND list_sum([TRY_CAST(substr(lpad(bsn_digits(v), 9, '0'), i, 1) AS INTEGER)
                  * CASE WHEN i = 9 THEN -1 ELSE 10 - i END
                  FOR i IN range(1, 10)]) % 11 = 0,
    false);
