-- SQLite edition of ../postgres/0027_reading_series_key.sql, which drops the readings' foreign key to their
-- series on PostgreSQL (there it was ~62 % of the time to store a file). SQLite keeps the key: measured on
-- 3.15 M readings inserted in one statement (WITHOUT ROWID, the file's interleaved series order), the check
-- costs ~0.25 µs of CPU a reading (4.0–4.4 s against 3.3–3.5 s without it), ~4 % of the ~5.7 µs a reading
-- the server spends storing on SQLite (~175,000 readings/s), and dropping a key on SQLite means rebuilding
-- the readings' table (hundreds of millions of rows). Nothing to change: this migration only keeps the
-- numbers of the two directories in step.
SELECT 1;
