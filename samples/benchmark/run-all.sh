#!/usr/bin/env bash
# Runs pgqueue's benchmark (with pgbench's plain-SQL limit and the worker-JVM drains in it), then each peer,
# back to back on one database at the same N, and prints one table of every figure's median and runs,
# followed by the ratios the targets are stated in.
#
# Usage: samples/benchmark/run-all.sh [--db postgres] [--jobs 100000] [--runs 3] [--retained 1000000]
#                                     [--nodes 3] [--horizon 120] [--peers "graphile-worker pg-boss db-scheduler"]
# Needs: Java 17, pgbench and Node.js 20 (with the npm registry) on the PATH, PostgreSQL on 127.0.0.1:5432
# (user postgres, trust auth). The full logs are kept in the folder printed at the end.
set -euo pipefail

db=postgres jobs=100000 runs=3 retained=1000000 nodes=3 horizon=120 peers="graphile-worker pg-boss db-scheduler"
while [ $# -gt 0 ]; do
  case "$1" in
    --db) db=$2 ;;
    --jobs) jobs=$2 ;;
    --runs) runs=$2 ;;
    --retained) retained=$2 ;;
    --nodes) nodes=$2 ;;
    --horizon) horizon=$2 ;;
    --peers) peers=$2 ;;
    *) echo "unknown option $1 (see the head of $0)" >&2; exit 2 ;;
  esac
  shift 2
done

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
logs=$(mktemp -d "${TMPDIR:-/tmp}/pgqueue-benchmark.XXXXXX")
jdbc="jdbc:postgresql://127.0.0.1:5432/$db?user=postgres"
node_url="postgres://postgres@127.0.0.1:5432/$db"
jar="$here/target/pgqueue-benchmark.jar"

echo "== $(date -u +%FT%TZ) on $(nproc) cores, $(pgbench --version), $(java -version 2>&1 | head -1), node $(node --version)"
(cd "$root" && ./mvnw -B -q -DskipTests package -pl samples/benchmark -am)

echo "== pgqueue, pgbench and plain JDBC"
java -jar "$jar" --url "$jdbc" --jobs "$jobs" --runs "$runs" --retained "$retained" --nodes "$nodes" --horizon "$horizon" | tee "$logs/pgqueue.txt"

for peer in $peers; do
  echo "== $peer"
  if [ "$peer" = db-scheduler ]; then
    java -jar "$jar" --peer db-scheduler --url "$jdbc" --jobs "$jobs" --runs "$runs" | tee "$logs/$peer.txt"
  else
    (cd "$here/peers/$peer" && npm ci --no-audit --no-fund --loglevel=error >/dev/null \
      && node bench.js --url "$node_url" --jobs "$jobs" --runs "$runs") | tee "$logs/$peer.txt"
  fi
done

# One table: every figure row of every log (the rows of the final tables, not the progress lines).
echo
echo "== all figures, N = $jobs, medians of $runs ($(date -u +%F), database $db)"
echo
echo "| figure | median of $runs | runs |"
echo "|---|---|---|"
for log in pgqueue $peers; do cat "$logs/$log.txt"; done | grep -E '^\| [a-z].*: .* \| [0-9,.]+ \| .* \|$' | tee "$logs/figures.md"

echo
echo "| ratio of medians | value |"
echo "|---|---|"
grep -E '^\| .* \| [0-9]+% \|$' "$logs/pgqueue.txt" || true
# pgqueue beside the fastest peer, for the drain, the single enqueue and the batch
awk -F' \\| ' '
  function value(cell) { gsub(/,/, "", cell); return cell + 0 }
  {
    name = substr($1, 3); median = value($2)
    split(name, parts, ": "); who = parts[1]
    # the figures compared: the no-op drain on one node, single and batched enqueues (not WAL, retained,
    # held-horizon or worker-JVM rows, which no peer measures)
    kind = name ~ /drain no-op jobs/ ? "drain" : \
           name ~ /one at a time.*\(jobs\/s\)/ ? "single" : name ~ /batches of 1,000 \(jobs\/s\)/ ? "batch" : ""
    if (kind == "" || who == "pgbench" || who == "plain JDBC") next
    if (who == "pgqueue") { ours[kind] = median }
    else if (median > best[kind]) { best[kind] = median; bestName[kind] = name }
  }
  END {
    for (kind in ours) if (kind in best)
      printf "| pgqueue %s / fastest peer (%s) | %.2f× |\n", kind, bestName[kind], ours[kind] / best[kind]
  }' "$logs/figures.md"
echo
echo "logs: $logs"
