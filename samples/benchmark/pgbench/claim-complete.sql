-- Claim up to 100 rows with FOR UPDATE SKIP LOCKED (one transaction), then mark them done with a
-- completing UPDATE (a second transaction), as the JDBC plain drain does. Run with 8 clients against a
-- table filled with the drain's rows: pgbench -n -M prepared -c 8 -j 8 -t <ceil(rows / 800)> -f claim-complete.sql
-- The claimed ids come back as one array (\gset keeps a single row) instead of one row each.
WITH claimed AS (
  UPDATE pgqueue_bench_plain.plain_job SET state = 'running'
  WHERE id IN (SELECT id FROM pgqueue_bench_plain.plain_job WHERE state = 'available'
               ORDER BY id LIMIT 100 FOR UPDATE SKIP LOCKED)
  RETURNING id
)
SELECT CAST(coalesce(array_agg(id), '{}') AS text) AS ids FROM claimed
\gset
UPDATE pgqueue_bench_plain.plain_job SET state = 'done' WHERE id = ANY(CAST(:ids AS bigint[]));
