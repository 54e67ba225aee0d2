-- The plain-SQL side's table: a minimal one-table queue without pgqueue's logic (no leases, no fencing,
-- no CHECK invariants, one partial index for the claim). The JDBC "plain" figures and the pgbench
-- scripts beside them use this same table, so the two clients differ in nothing but the client.
CREATE SCHEMA IF NOT EXISTS pgqueue_bench_plain;
DROP TABLE IF EXISTS pgqueue_bench_plain.plain_job;
CREATE TABLE pgqueue_bench_plain.plain_job (
  id bigserial PRIMARY KEY,
  state text NOT NULL DEFAULT 'available',
  payload jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ON pgqueue_bench_plain.plain_job (id) WHERE state = 'available';
