#!/usr/bin/env bash
# What tracing costs an enqueue without an observation registry: the same harness (tracing-cost/EnqueueCpu.java)
# against pgqueue-core just before tracing (commit 64807bf^, built in a worktree of its own) and against this
# checkout's, three alternating JVMs of nine rounds each. Prints each JVM's medians of bytes allocated and CPU per
# enqueue on the calling thread, and jobs/s.
#
# Usage: samples/benchmark/tracing-cost.sh [jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
url=${1:-jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}
work=$(mktemp -d "${TMPDIR:-/tmp}/pgqueue-tracing-cost.XXXXXX")
trap 'git -C "$root" worktree remove --force "$work/old" >/dev/null 2>&1 || true' EXIT

git -C "$root" worktree add -q "$work/old" 64807bf^
(cd "$work/old" && ./mvnw -B -q -DskipTests package -pl pgqueue-core)
(cd "$root" && ./mvnw -B -q -DskipTests package -pl samples/chaos -am)
cp "$work/old/pgqueue-core/target/pgqueue-core-0.1.0-SNAPSHOT.jar" "$work/old-core.jar"
cp "$root/pgqueue-core/target/pgqueue-core-0.1.0-SNAPSHOT.jar" "$work/new-core.jar"
# every library pgqueue-core needs, from the chaos sample's class path, without pgqueue's own jars
deps=$(tr ':' '\n' < "$root/samples/chaos/target/classpath.txt" | grep -v "^$root/" | paste -sd:)
for round in 1 2 3; do
  for engine in old new; do
    echo "== $engine (round $round)"
    java -cp "$work/$engine-core.jar:$deps" "$here/tracing-cost/EnqueueCpu.java" "$url" 9 2>/dev/null | grep -E '^(bytes|cpu)'
  done
done
