# Helpers for .ci/run (sourced, not executed). Bash ≥ 4.
#
#   step "title"                       a section header with the time since the start
#   parallel name='command' …          runs the commands at once, then prints each one's output with
#                                      its result and duration; fails when any of them failed
#   background name 'command'          starts a command now and returns at once …
#   await name                         … waits for it, prints its output, fails when it failed
#
# Commands run in `bash -c` with the environment of .ci/run, from the repository root; each one's
# output goes to .tmp/ci/<name>.log, so names must be unique within a run.

CI_STARTED=$(date +%s)
CI_LOGS=.tmp/ci
rm -rf "$CI_LOGS"
mkdir -p "$CI_LOGS"
declare -A CI_PIDS=()

step() { printf '\n=== %s (t+%ss)\n' "$1" "$(($(date +%s) - CI_STARTED))"; }

# Runs `command` as job `name` in the background, recording its status and duration.
ci_spawn() {
  local name=$1 command=$2
  (
    begun=$SECONDS
    if bash -c "$command" >"$CI_LOGS/$name.log" 2>&1; then status=ok; else status="FAILED (exit $?)"; fi
    echo "$status in $((SECONDS - begun))s" >"$CI_LOGS/$name.status"
    [ "$status" = ok ]
  ) &
  CI_PIDS[$name]=$!
}

# Waits for job `name`; prints its output and result; returns non-zero when it failed.
ci_collect() {
  local name=$1 result=0
  wait "${CI_PIDS[$name]}" || result=1
  unset "CI_PIDS[$name]"
  printf -- '--- %s: %s\n' "$name" "$(cat "$CI_LOGS/$name.status" 2>/dev/null || echo 'no status')"
  cat "$CI_LOGS/$name.log"
  return $result
}

parallel() {
  local spec names=() failed=0
  for spec in "$@"; do
    ci_spawn "${spec%%=*}" "${spec#*=}"
    names+=("${spec%%=*}")
  done
  for name in "${names[@]}"; do ci_collect "$name" || failed=1; done
  return $failed
}

background() { ci_spawn "$1" "$2"; }

await() { ci_collect "$1"; }
