-- One INSERT of 1,000 rows per transaction, 1 client: the limit under `enqueueAll` in batches of 1,000.
-- Run: pgbench -n -M prepared -c 1 -t <rows / 1000> -D payloads='{"{\"n\": 0}", …1,000 elements}' -f insert-batch.sql
-- (the JDBC plain figure runs this statement, with the 1,000 payloads bound as one text[] the same way)
INSERT INTO pgqueue_bench_plain.plain_job (payload) SELECT CAST(p AS jsonb) FROM unnest(CAST(:payloads AS text[])) AS p;
