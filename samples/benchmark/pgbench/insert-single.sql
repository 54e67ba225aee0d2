-- One single-row INSERT per transaction, 1 client: the limit under `enqueue` one at a time.
-- Run: pgbench -n -M prepared -c 1 -t <rows> -D payload='{"n": 1}' -f insert-single.sql
-- (the JDBC plain figure runs this statement, with the payload bound as text the same way)
INSERT INTO pgqueue_bench_plain.plain_job (payload) VALUES (CAST(:payload AS jsonb));
