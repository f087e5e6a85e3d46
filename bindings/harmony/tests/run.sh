#!/usr/bin/env bash
# Tests of werun's HarmonyOS Node-API binding, run for real under Node.js:
#   1. builds the addon (build-addon.sh) and, when present, bindings/js
#      (installWeRun, used by the shared round-trip suite);
#   2. checks the HAR's ArkTS with OpenHarmony's compiler and ArkTS linter
#      (tests/ets-check/check.mjs, over ohos-typescript from npm): the HAR as
#      hvigor builds it and examples/harmony give 0 errors and 0 warnings,
#      planted violations and a consumer's misuse of the HAR's types fail;
#   3. runs every *.test.mjs here with node --test;
#   4. runs one test file again under valgrind memcheck: no memory errors and
#      no definite leaks, worker teardown with calls in flight included;
#   5. runs check-napi-symbols.sh (the OpenHarmony allow-list), when present.
# It ends with one line, "harmony: N passed, N failed[, N skipped]", where
# each node test counts once and so does each other step, and exits non-zero
# if anything failed.
#
# Usage: bindings/harmony/tests/run.sh
# Needs: node 20+ with its headers, g++, cargo, valgrind; npm for bindings/js
# and tests/ets-check.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
cd "$root"

# The file run under valgrind: the one that tears down worker envs with calls
# in flight, so a leak there shows. V8 is slow under valgrind (--jitless
# avoids JIT false positives); it takes about a minute here.
valgrind_file=$here/lifecycle.test.mjs
valgrind_timeout=1200
# A guard against a hang, not a timing assertion.
test_timeout_ms=120000

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
# step, tally_pass, tally_fail, tally_add, and the result line
# (scripts/lib/tally.sh).
source "$root/scripts/lib/tally.sh" harmony
skipped=0

echo "== building the addon"
if ! bash "$here/build-addon.sh"; then
  echo "harmony: 0 passed, 1 failed (the addon does not build)"
  exit 1
fi

echo "== the module as an app developer builds it on Linux: cmake -S src/main/cpp -B DIR && cmake --build DIR"
# No options but the build type (CMake's default is none, which builds
# werun's release profile): cargo runs inside the build and puts its output
# in $CARGO_TARGET_DIR (the repository's target/, shared with cargo test);
# the conformance suite runs against what it made (below).
plain_build=bindings/harmony/build/cmake-plain
plain_cmake() {
  CARGO_TARGET_DIR=$root/target cmake -S bindings/harmony/src/main/cpp -B "$plain_build" >/dev/null &&
    cmake --build "$plain_build" >/dev/null &&
    [ -f "$plain_build/werun.node" ] && [ ! -e "$plain_build/cargo" ]
}
plain_built=0
gate "cmake -S bindings/harmony/src/main/cpp -B $plain_build && cmake --build $plain_build" plain_cmake && plain_built=1

if [ -f bindings/js/package.json ]; then
  echo "== building bindings/js"
  build_js() { (cd bindings/js && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build); }
  step "bindings/js build" build_js
fi

echo "== the HAR's ArkTS, checked by OpenHarmony's compiler and ArkTS linter"
# ohos-typescript and the SDK's declarations, pinned in ets-check/package-lock.json.
ets_dir=$here/ets-check
ets_started=$SECONDS
ets_install() { (cd "$ets_dir" && npm ci --no-audit --no-fund --loglevel=error); }
if gate "ets-check: npm ci" ets_install; then
  # After the vendoring step hvigorfile.ts runs, as hvigor would build it.
  ets_har() { node bindings/common/vendor.mjs harmony && node "$ets_dir/check.mjs" har; }
  step "ArkTS check of the HAR and examples/harmony" ets_har
  step "ArkTS check: planted violations are reported" node "$ets_dir/check.mjs" fixtures planted
  step "ArkTS check: a consumer's misuse of the HAR's types fails" node "$ets_dir/check.mjs" fixtures consumers
fi
echo "ArkTS checks: $((SECONDS - ets_started))s"

echo "== node --test"
# spec for people, TAP into a file for the counts.
node --test --test-timeout="$test_timeout_ms" \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$logs/node.tap" \
  "$here"/*.test.mjs
node_status=$?
count() { sed -n "s/^# $1 \([0-9]*\)$/\1/p" "$logs/node.tap" | tail -n 1; }
tests_passed=$(count pass)
tests_failed=$(count fail)
tests_cancelled=$(count cancelled)
tests_skipped=$(count skipped)
tally_add "${tests_passed:-0}" $((${tests_failed:-0} + ${tests_cancelled:-0}))
skipped=$((skipped + ${tests_skipped:-0}))
if [ "$node_status" -ne 0 ] && [ "${tests_failed:-0}${tests_cancelled:-0}" = "00" ]; then
  tally_fail "node --test exited with $node_status"
elif [ "$node_status" -ne 0 ]; then
  failures+=("node tests")
fi

if ((plain_built)); then
  echo "== the conformance suite against the plain CMake build ($plain_build/werun.node)"
  step "conformance.test.mjs against $plain_build/werun.node" \
    env WERUN_ADDON="$root/$plain_build/werun.node" node --test --test-timeout="$test_timeout_ms" \
    --test-reporter=dot "$here/conformance.test.mjs"
fi

echo "== valgrind: $(basename "$valgrind_file")"
if ! command -v valgrind >/dev/null; then
  tally_fail "valgrind is not installed"
else
  # The file runs as a plain script (node:test runs it in-process): under
  # `node --test` it would run in a child process valgrind does not follow.
  timeout "$valgrind_timeout" valgrind --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite \
    --suppressions="$here/node.supp" --log-file="$logs/valgrind.log" \
    node --jitless "$valgrind_file" >"$logs/valgrind-tests.log" 2>&1
  valgrind_status=$?
  grep -E '^# (tests|pass|fail)' "$logs/valgrind-tests.log"
  grep -E 'ERROR SUMMARY|definitely lost:' "$logs/valgrind.log" | sed 's/^==[0-9]*== */valgrind: /'
  if [ "$valgrind_status" -eq 0 ]; then
    tally_pass
  else
    [ "$valgrind_status" -eq 124 ] && echo "valgrind: timed out after ${valgrind_timeout}s"
    grep -E '^not ok' "$logs/valgrind-tests.log"
    # The errors and definite leaks, with their stacks.
    awk '/definitely lost in loss record|^==[0-9]+== (Invalid|Conditional|Use of uninit|Mismatched|Syscall param)/ {show = 1}
         show {print} /^==[0-9]+== $/ {show = 0}' "$logs/valgrind.log"
    tally_fail "valgrind on $(basename "$valgrind_file") (exit $valgrind_status)"
  fi
fi

if [ -f "$here/check-napi-symbols.sh" ]; then
  echo "== napi symbols against the OpenHarmony allow-list"
  step "check-napi-symbols.sh" bash "$here/check-napi-symbols.sh"
fi

suffix=""
((skipped)) && suffix=", $skipped skipped"
tally_finish "$suffix" && [ "$node_status" -eq 0 ]
