#!/usr/bin/env bash
# Runs the README's two commands as on a machine with neither Docker nor a PostgreSQL server: inside a
# network namespace of its own (`ip netns add`, loopback only: nothing listens on 5432 there and nothing
# outside is reachable) and, since PostgreSQL refuses to run as root, as an unprivileged user (a user
# namespace maps this root to nobody; files written still belong to the caller).
#   1. the sample job service's command, through samples/job-service/quickstart-check.sh: it builds,
#      starts, answers its health, runs a job to completion, and must say it started an embedded PostgreSQL;
#   2. `./mvnw -B verify`, on a representative subset of the tests (the full suite runs before this, on
#      the machine's server), which must find the embedded PostgreSQL too.
# Maven runs offline there (MAVEN_ARGS=-o), so run this after a build that filled the local repository.
# Needs root for `ip netns`; when a namespace cannot be made it says SKIPPED loudly and exits 0.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"

# a few test classes from each module that finds a database: the finder, the schema, the engine, Boot, the sample
tests="${FRESH_MACHINE_TESTS:-PostgresFinderTests,SchemaMigratorIntegrationTests,JobQueueIntegrationTests,\
PgQueueHealthIntegrationTests,DevelopmentDatabaseTests,JobSubmissionIntegrationTests}"
ns="pgqueue-fresh-$$"

skip() {
  echo "=================================================================" >&2
  echo "FRESH-MACHINE CHECK SKIPPED: $*" >&2
  echo "(the README's two commands were NOT tried without a database)" >&2
  echo "=================================================================" >&2
  exit 0
}

[ "$(id -u)" = 0 ] || skip "needs root to make a network namespace"
command -v ip >/dev/null || skip "no ip command (iproute2)"
command -v unshare >/dev/null || skip "no unshare command (util-linux)"
nobody_uid="$(id -u nobody 2>/dev/null)" || skip "no user nobody to run PostgreSQL as"
nobody_gid="$(id -g nobody)"

cleanup() {
  # stop whatever is still running in the namespace (only processes this check started live there)
  for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
  ip netns del "$ns" 2>/dev/null || true
}
ip netns add "$ns" 2>/dev/null || skip "ip netns add failed (no permission to make network namespaces here)"
trap cleanup EXIT
ip netns exec "$ns" ip link set lo up
ip netns exec "$ns" unshare --user --map-user="$nobody_uid" --map-group="$nobody_gid" true \
  || skip "unshare --user failed (user namespaces are not allowed here)"

# inside, Java takes its user.home from nobody's entry; Maven is to find this user's repository and wrapper
home="${HOME:-$(getent passwd "$(id -un)" | cut -d: -f6)}"

started=$SECONDS
echo "fresh machine: network namespace $ns (loopback only), running as $(id -un "$nobody_uid")"
# the user's environment, less anything that points at a database or a Docker engine
ip netns exec "$ns" unshare --user --map-user="$nobody_uid" --map-group="$nobody_gid" \
  env -u PGQUEUE_TEST_DATABASE_URL -u SPRING_DATASOURCE_URL -u SPRING_DATASOURCE_USERNAME \
    -u SPRING_DATASOURCE_PASSWORD -u DOCKER_HOST -u PGHOST -u PGPORT \
    MAVEN_ARGS=-o HOME="$home" MAVEN_OPTS="-Duser.home=$home" FRESH_TESTS="$tests" ROOT="$root" \
  bash -euo pipefail -c '
    cd "$ROOT"
    if (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then
      echo "fresh machine check FAILED: something listens on 127.0.0.1:5432 inside the namespace" >&2; exit 1
    fi
    if [ -S /var/run/docker.sock ] || [ -S /run/docker.sock ]; then
      echo "fresh machine check FAILED: a Docker socket is reachable, so this is no machine without Docker" >&2; exit 1
    fi
    echo "fresh machine: nothing on 127.0.0.1:5432, no Docker socket"

    echo "fresh machine: 1/2 the sample job service (README command 1)"
    out="$(mktemp)"
    QUICKSTART_TIMEOUT=300 bash samples/job-service/quickstart-check.sh 2>&1 | tee "$out"
    grep -q "Jobs are stored in PostgreSQL at .*embedded PostgreSQL was started" "$out" || {
      echo "fresh machine check FAILED: the sample did not say it started an embedded PostgreSQL" >&2; exit 1; }
    rm -f "$out"

    echo "fresh machine: 2/2 ./mvnw -B verify (README command 2) on $FRESH_TESTS"
    ./mvnw -B verify -Dtest="$FRESH_TESTS" -Dsurefire.failIfNoSpecifiedTests=false </dev/null
    grep -l "Integration tests use PostgreSQL .*(an embedded PostgreSQL" \
        pgqueue-core/target/surefire-reports/*-output.txt >/dev/null || {
      echo "fresh machine check FAILED: the tests did not say they use an embedded PostgreSQL" >&2; exit 1; }
    grep -h -o "Integration tests use PostgreSQL .*" pgqueue-core/target/surefire-reports/*-output.txt | head -n 1
  '
echo "fresh machine check OK in $((SECONDS - started)) s: the sample started and the tests passed with an embedded PostgreSQL"
