-- Whole years of age on a date.
CREATE OR REPLACE MACRO age_on(birth, on_date) AS date_part('year', age(on_date, birth));
