-- Lever: the completion carried by the next claim's transaction (one transaction per batch instead of
-- two, as Oban Pro's async acks do). Each transaction completes the rows the client claimed last time
-- and claims the next 100. Run as claim-complete.sql, with -D ids='{}' for the first transaction; the
-- last batch of each client stays claimed, so the rate counts claims.
BEGIN;
UPDATE pgqueue_bench_plain.plain_job SET state = 'done' WHERE id = ANY(CAST(:ids AS bigint[]));
WITH claimed AS (
  UPDATE pgqueue_bench_plain.plain_job SET state = 'running'
  WHERE id IN (SELECT id FROM pgqueue_bench_plain.plain_job WHERE state = 'available'
               ORDER BY id LIMIT 100 FOR UPDATE SKIP LOCKED)
  RETURNING id
)
SELECT CAST(coalesce(array_agg(id), '{}') AS text) AS ids FROM claimed
\gset
COMMIT;
