#!/usr/bin/env bash
# Checks that the README's "Sample job service" quick start works as written: takes the command
# between <!-- quickstart-command --> and <!-- /quickstart-command --> and the curl line between
# <!-- quickstart-curl --> and <!-- /quickstart-curl -->, starts the service with that command (build
# included) from the repository root, waits for its health to be UP, runs the curl, waits for the job
# to complete through GET /jobs/{id}, checks the email reached the embedded SMTP sink, then stops
# the service. Exits non-zero, showing the service's output, when any step fails.
#
# Environment (all optional; the defaults are the README's):
#   QUICKSTART_PORT       the port to run on instead of 8080 (the curl line is pointed at it too)
#   QUICKSTART_TIMEOUT    seconds to wait for the build and the start, default 600
#   any other variable the service reads, such as PGQUEUE_SCHEMA or SPRING_DATASOURCE_URL
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
readme="$root/README.md"
port="${QUICKSTART_PORT:-8080}"
timeout="${QUICKSTART_TIMEOUT:-600}"

fail() {
  echo "quick start check FAILED: $*" >&2
  exit 1
}

# the lines between <!-- NAME --> and <!-- /NAME -->, without the code fences
extract() {
  awk -v start="<!-- $1 -->" -v end="<!-- /$1 -->" '
    $0 == start { inside = 1; next }
    $0 == end { inside = 0 }
    inside && !/^```/ { print }
  ' "$readme"
}

command="$(extract quickstart-command)"
curl_line="$(extract quickstart-curl)"
[ -n "$command" ] && [ "$(printf '%s\n' "$command" | wc -l)" -eq 1 ] \
  || fail "README.md must hold exactly one command line between <!-- quickstart-command --> markers, found: '$command'"
[ -n "$curl_line" ] && [ "$(printf '%s\n' "$curl_line" | wc -l)" -eq 1 ] \
  || fail "README.md must hold exactly one curl line between <!-- quickstart-curl --> markers, found: '$curl_line'"
case "$curl_line" in
  curl*localhost:8080/jobs*) ;;
  *) fail "the quick-start curl line does not POST to localhost:8080/jobs: $curl_line" ;;
esac

base="http://localhost:$port"
if [ "$port" != 8080 ]; then
  export SERVER_PORT="$port"
  curl_line="${curl_line//localhost:8080/localhost:$port}"
fi
if curl -s -o /dev/null --max-time 2 "$base/"; then
  fail "something already answers on port $port: stop it, or set QUICKSTART_PORT"
fi

log="$(mktemp "${TMPDIR:-/tmp}/quickstart-check.XXXXXX")"
echo "quick start: $command"
# a session of its own, so that stopping it stops the build or the service, whichever is running
setsid bash -c "$command" >"$log" 2>&1 </dev/null &
service=$!

# stops every process of the service's session (the build or the JVM) and waits until they are gone
stop() {
  if kill -0 -- "-$service" 2>/dev/null; then
    kill -TERM -- "-$service" 2>/dev/null || true
    for _ in $(seq 1 80); do
      kill -0 -- "-$service" 2>/dev/null || break
      sleep 0.5
    done
    kill -KILL -- "-$service" 2>/dev/null || true
  fi
  wait "$service" 2>/dev/null || true
  rm -f "$log"
}
show_log() {
  echo "----- the service's output (last 60 lines) -----" >&2
  tail -n 60 "$log" >&2 || true
  echo "-------------------------------------------------" >&2
}
trap stop EXIT
trap 'exit 143' INT TERM

deadline=$((SECONDS + timeout))
# health answers 200 only when UP (503 otherwise), with no details for an anonymous caller (they are the
# operator's); GET /jobs/0 answering the service's own problem shows it is this service on the port
until health="$(curl -s -f --max-time 2 "$base/actuator/health")" && [[ "$health" == *'"status":"UP"'* ]] \
    && [[ "$(curl -s --max-time 2 "$base/jobs/0")" == *'no job with id 0'* ]]; do
  if ! kill -0 "$service" 2>/dev/null; then
    show_log
    fail "the quick-start command ended before the service was UP"
  fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    show_log
    fail "the service was not UP on $base/actuator/health within $timeout s"
  fi
  sleep 1
done
echo "service UP on $base"
grep -o 'Jobs are stored in PostgreSQL at [^;]*' "$log" | head -n 1 || true

echo "curl: $curl_line"
answer="$(bash -c "$curl_line")"
echo "answer: $answer"
id="$(printf '%s' "$answer" | sed -n 's/^{"id":\([0-9][0-9]*\)}$/\1/p')"
[ -n "$id" ] || { show_log; fail "the curl line did not answer {\"id\":N}: $answer"; }

state=""
deadline=$((SECONDS + 60))
while [ "$state" != completed ]; do
  job="$(curl -s --max-time 5 "$base/jobs/$id")"
  # the job's own state comes before its payload and runOnce steps, which have states of their own
  state="$(printf '%s' "$job" | grep -o '"state":"[a-z_]*"' | head -n 1 | cut -d '"' -f 4)"
  case "$state" in
    dead|cancelled) show_log; fail "job $id ended $state: $job" ;;
  esac
  if [ "$SECONDS" -ge "$deadline" ]; then
    show_log
    fail "job $id did not complete within 60 s: $job"
  fi
  [ "$state" = completed ] || sleep 0.5
done
echo "GET /jobs/$id: $job"

subject="$(printf '%s' "$curl_line" | sed -n 's/.*"subject":"\([^"]*\)".*/\1/p')"
emails="$(curl -s --max-time 5 "$base/emails")"
printf '%s' "$emails" | grep -qF "\"subject\":\"$subject\"" \
  || fail "GET /emails does not list the email '$subject': $emails"
echo "GET /emails lists '$subject'"
echo "quick start OK: job $id completed"
