-- Lever: a delete-on-complete mode (retention.completed: 0): claim 100 as claim-complete.sql does, then
-- delete them instead of marking them done, so no finished row stays behind.
WITH claimed AS (
  UPDATE pgqueue_bench_plain.plain_job SET state = 'running'
  WHERE id IN (SELECT id FROM pgqueue_bench_plain.plain_job WHERE state = 'available'
               ORDER BY id LIMIT 100 FOR UPDATE SKIP LOCKED)
  RETURNING id
)
SELECT CAST(coalesce(array_agg(id), '{}') AS text) AS ids FROM claimed
\gset
DELETE FROM pgqueue_bench_plain.plain_job WHERE id = ANY(CAST(:ids AS bigint[]));
