# Counts the steps of a test script and prints its one-line result. Sourced
# by tests/c/run.sh, tests/c/installed.sh, bindings/harmony/tests/run.sh and
# bindings/react-native/tests/run.sh:
#
#   source "$root/scripts/lib/tally.sh" LABEL
#   step NAME COMMAND...    runs COMMAND; counts it passed or failed (by
#                           NAME); returns 0 either way, so a failure does
#                           not stop a `set -e` script
#   gate NAME COMMAND...    the same, but returns COMMAND's status, for
#                           `if gate ...; then` (what depends on it)
#   tally_pass              counts a step that passed
#   tally_fail NAME         counts a step that failed
#   tally_add PASSED FAILED adds counts reported by a test runner
#   node_tests ARGS...      runs `node --test ARGS...` (spec output for
#                           people) and adds its pass and fail counts; an
#                           exit status that is not 0 with no failing test
#                           counts as one failure
#   tally_finish [SUFFIX]   prints the failed steps (stderr) and
#                           "LABEL: N passed, M failed[SUFFIX]"; returns
#                           non-zero if anything failed

tally_label=$1
passed=0
failed=0
failures=()

tally_pass() { passed=$((passed + 1)); }

tally_fail() {
  failed=$((failed + 1))
  failures+=("$1")
  echo "$tally_label: FAILED: $1" >&2
}

tally_add() {
  passed=$((passed + $1))
  failed=$((failed + $2))
}

node_tests() {
  local tap status=0
  tap=$(mktemp)
  node --test --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$tap" "$@" || status=$?
  local pass fail
  pass=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$tap" | tail -n 1)
  fail=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$tap" | tail -n 1)
  rm -f "$tap"
  tally_add "${pass:-0}" "${fail:-0}"
  if [ "$status" -ne 0 ] && [ "${fail:-0}" -eq 0 ]; then tally_fail "node --test $* exited $status"; fi
  return 0
}

gate() {
  local name=$1
  shift
  if "$@"; then
    tally_pass
  else
    local status=$?
    tally_fail "$name"
    return "$status"
  fi
}

step() {
  gate "$@" || true
}

tally_finish() {
  if ((${#failures[@]})); then
    local failed_steps
    printf -v failed_steps '%s; ' "${failures[@]}"
    echo "$tally_label: failed: ${failed_steps%; }" >&2
  fi
  echo "$tally_label: $passed passed, $failed failed${1:-}"
  [ "$failed" -eq 0 ]
}
