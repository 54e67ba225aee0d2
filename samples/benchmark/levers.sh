#!/usr/bin/env bash
# Measures the database's side of the levers issue 15 names, with pgbench (-M prepared, 8 clients) on the
# plain table of pgbench/plain-table.sql, N rows per drain, medians of --runs: the claim+complete drain as
# run-all.sh measures it, the completion carried by the next claim's transaction, delete-on-complete,
# fillfactor 70, per-table autovacuum settings, and one more index on (state, id) (what an index-bounded
# filter by state in the dashboard would cost every job),
# and the job table's CHECK constraints on a single-row INSERT (on a copy of pgqueue_bench.pgqueue_job);
# then pgqueue's own drain statements run by pgbench (as the engine sends them, without the start's write, and
# on copies of the job table without its CHECK constraints): the ceiling pgqueue's SQL sets, with no JVM.
# The last two need the benchmark run once (its schema pgqueue_bench) and its jar built.
# Usage: samples/benchmark/levers.sh [--db postgres] [--jobs 100000] [--runs 3] [--only own] (only the last table)
set -euo pipefail
db=postgres jobs=100000 runs=3 only=
while [ $# -gt 0 ]; do
  case "$1" in
    --db) db=$2 ;;
    --jobs) jobs=$2 ;;
    --runs) runs=$2 ;;
    --only) only=$2 ;;
    *) echo "unknown option $1 (see the head of $0)" >&2; exit 2 ;;
  esac
  shift 2
done
here=$(cd "$(dirname "$0")" && pwd)
export PGOPTIONS="-c client_min_messages=warning"
psql_=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p 5432 -U postgres -d "$db")
clients=8
transactions=$(( (jobs + clients * 100 - 1) / (clients * 100) ))

# one drain: a fresh table (with the lever's set-up), N rows, VACUUM ANALYZE, then pgbench; prints rows/s
drain() {
  local script=$1 setup=$2
  "${psql_[@]}" -f "$here/pgbench/plain-table.sql"
  [ -n "$setup" ] && "${psql_[@]}" -c "$setup"
  "${psql_[@]}" -c "INSERT INTO pgqueue_bench_plain.plain_job (payload) SELECT jsonb_build_object('n', i) FROM generate_series(1, $jobs) AS i" \
    -c "VACUUM ANALYZE pgqueue_bench_plain.plain_job"
  local tps
  tps=$(pgbench -n -M prepared -c $clients -j $clients -t $transactions -D ids='{}' -f "$here/pgbench/$script" \
    -h 127.0.0.1 -p 5432 -U postgres "$db" 2>&1 | sed -n 's/^tps = \([0-9.]*\).*/\1/p')
  echo "$tps * 100" | bc
}

lever() {
  local name=$1 script=$2 setup=${3:-}
  local values=()
  for _ in $(seq 1 "$runs"); do values+=("$(drain "$script" "$setup")"); done
  local median
  median=$(printf '%s\n' "${values[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
  printf '| %s | %'"'"'.0f | %s |\n' "$name" "$median" "$(printf '%.0f ' "${values[@]}")"
}

echo "== $(date -u +%FT%TZ), $(pgbench --version), N = $jobs, $clients clients, medians of $runs"
if [ "$only" != own ]; then
echo "| lever (pgbench, plain table) | rows/s | runs |"
echo "|---|---|---|"
lever "claim 100 + complete, two transactions (run-all.sh's figure)" claim-complete.sql
lever "completion carried by the next claim's transaction" claim-complete-carried.sql
lever "claim 100 + DELETE (delete-on-complete)" claim-delete.sql
lever "fillfactor 70" claim-complete.sql "ALTER TABLE pgqueue_bench_plain.plain_job SET (fillfactor = 70)"
lever "autovacuum at 1% of the table, no cost delay" claim-complete.sql \
  "ALTER TABLE pgqueue_bench_plain.plain_job SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_cost_delay = 0)"
lever "one more index, on (state, id)" claim-complete.sql "CREATE INDEX ON pgqueue_bench_plain.plain_job (state, id)"

# The cost of the job table's CHECK constraints on a single-row INSERT: PostgreSQL 15 prepares every CHECK
# of a table at each statement's execution (ExecRelCheck parses and plans each one), so it is a cost per
# statement, paid in full by a single enqueue (and once per start or completion batch). Copies of pgqueue's
# job table (made by the benchmark's migration, schema pgqueue_bench) with and without them, 1 client, the
# commit not waiting for the disk so that the statement's own time shows.
single() {
  local table=$1 values=()
  for _ in $(seq 1 "$runs"); do
    values+=("$(PGOPTIONS="$PGOPTIONS -c synchronous_commit=off" pgbench -n -M prepared -c 1 -t 5000 \
      -D payload='{"n": 1}' -f <(echo "INSERT INTO pgqueue_bench_levers.$table (queue, kind, payload, priority, max_attempts, idempotency_key, run_at) VALUES ('default', 'noop', CAST(:payload AS jsonb), 0, 25, NULL, now()) RETURNING id, queue, run_at;") \
      -h 127.0.0.1 -p 5432 -U postgres "$db" 2>&1 | sed -n 's/^latency average = \([0-9.]*\) ms/\1/p')")
  done
  local median
  median=$(printf '%s\n' "${values[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
  printf '| %s | %.0f | %s |\n' "$table" "$(echo "$median * 1000" | bc)" "$(printf '%s ' "${values[@]}")"
}
if [ "$("${psql_[@]}" -Atc "SELECT to_regclass('pgqueue_bench.pgqueue_job') IS NOT NULL")" = t ]; then
  "${psql_[@]}" -c "DROP SCHEMA IF EXISTS pgqueue_bench_levers CASCADE" -c "CREATE SCHEMA pgqueue_bench_levers" \
    -c "CREATE TABLE pgqueue_bench_levers.with_checks (LIKE pgqueue_bench.pgqueue_job INCLUDING ALL)" \
    -c "CREATE TABLE pgqueue_bench_levers.without_checks (LIKE pgqueue_bench.pgqueue_job INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING INDEXES)"
  echo
  echo "| single-row INSERT into a copy of the job table, synchronous_commit off | µs per statement | runs (ms) |"
  echo "|---|---|---|"
  single with_checks
  single without_checks
  "${psql_[@]}" -c "DROP SCHEMA pgqueue_bench_levers CASCADE"
else
  echo "(no pgqueue_bench.pgqueue_job: run the benchmark once for the CHECK constraints' lever)"
fi
fi

# pgqueue's own drain statements (java -jar pgqueue-benchmark.jar --print-script own), 3 clients as the drain's
# poller, starter and completer, on copies of the job table with and without its CHECK constraints; "without
# starts" is a lever, not the engine: the claim counts the attempt, which a lost claim reply or a job claimed
# ahead would then lose unrun.
jar="$here/target/pgqueue-benchmark.jar"
# one drain of a copy by one script: a fresh table, N jobs, VACUUM ANALYZE, then pgbench; prints jobs/s
own_drain() {
  local schema=$1 script=$2
  "${psql_[@]}" -c "TRUNCATE $schema.pgqueue_job RESTART IDENTITY" \
    -c "INSERT INTO $schema.pgqueue_job (queue, kind, payload, max_attempts) SELECT 'default', 'noop', to_jsonb(i), 25 FROM generate_series(1, $jobs) AS i" \
    -c "VACUUM ANALYZE $schema.pgqueue_job"
  local per=$(( (jobs + 256 * 3 - 1) / (256 * 3) )) tps
  tps=$(pgbench -n -M prepared -c 3 -j 3 -t $per -D queue=default -D kinds='{noop}' -D owner=levers -D leaseMillis=30000 \
    -f <(sed "s/pgqueue_bench\./$schema./g" "$script") -h 127.0.0.1 -p 5432 -U postgres "$db" 2>&1 \
    | sed -n 's/^tps = \([0-9.]*\) (without.*/\1/p')
  [ "$("${psql_[@]}" -Atc "SELECT count(*) FROM $schema.pgqueue_job WHERE state <> 'completed' OR attempt <> 1")" = 0 ] \
    || { echo "pgqueue's statements left jobs undone in $schema" >&2; exit 1; }
  echo "$jobs * $tps / ($per * 3)" | bc
}
if [ -f "$jar" ] && [ "$("${psql_[@]}" -Atc "SELECT to_regclass('pgqueue_bench.pgqueue_job') IS NOT NULL")" = t ]; then
  scripts=$(mktemp -d)
  java -jar "$jar" --print-script own > "$scripts/as-the-engine-sends-them.sql"
  java -jar "$jar" --print-script own-without-starts > "$scripts/without-starts.sql"
  fillfactor=$("${psql_[@]}" -Atc "SELECT coalesce(array_to_string(reloptions, ', '), 'fillfactor=100') FROM pg_class WHERE oid = 'pgqueue_bench.pgqueue_job'::regclass")
  for schema in pgqueue_bench_levers_checks pgqueue_bench_levers_no_checks; do
    including="INCLUDING ALL"
    [ $schema = pgqueue_bench_levers_no_checks ] && including="INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING INDEXES"
    "${psql_[@]}" -c "DROP SCHEMA IF EXISTS $schema CASCADE" -c "CREATE SCHEMA $schema" \
      -c "CREATE TABLE $schema.pgqueue_job (LIKE pgqueue_bench.pgqueue_job $including) WITH ($fillfactor)" \
      -c "CREATE TABLE $schema.pgqueue_queue (LIKE pgqueue_bench.pgqueue_queue INCLUDING ALL)"
  done
  echo
  echo "| pgqueue's drain statements by pgbench, 3 clients, N = $jobs, copies of the job table | jobs/s | runs |"
  echo "|---|---|---|"
  # the four alternate run by run, so that the machine's drift reaches each alike
  variants=("plain claim-complete.sql, 8 clients (the first table's first row)" "as-the-engine-sends-them pgqueue_bench_levers_checks" "as-the-engine-sends-them pgqueue_bench_levers_no_checks"
    "without-starts pgqueue_bench_levers_checks" "without-starts pgqueue_bench_levers_no_checks")
  declare -A measured
  for _ in $(seq 1 "$runs"); do
    for variant in "${variants[@]}"; do
      read -r script schema <<< "$variant"
      if [ "$script" = plain ]; then
        measured[$variant]+="$(drain claim-complete.sql "") "
      else
        measured[$variant]+="$(own_drain "$schema" "$scripts/$script.sql") "
      fi
    done
  done
  for variant in "${variants[@]}"; do
    median=$(printf '%s\n' ${measured[$variant]} | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
    printf '| %s | %'"'"'.0f | %s |\n' "${variant/ pgqueue/, pgqueue}" "$median" "$(printf '%.0f ' ${measured[$variant]})"
  done
  "${psql_[@]}" -c "DROP SCHEMA pgqueue_bench_levers_checks CASCADE" -c "DROP SCHEMA pgqueue_bench_levers_no_checks CASCADE"
  rm -r "$scripts"
else
  echo "(no $jar or no pgqueue_bench.pgqueue_job: build and run the benchmark once for pgqueue's own statements)"
fi
