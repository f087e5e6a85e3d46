#!/usr/bin/env bash
# Reproduces the figures in docs/RELIABILITY.md, in one run, and prints them:
# fuzzing, loom interleavings, stress, soak, and the sanitizer, valgrind and
# bad-input results. It takes about an hour with the default fuzz time.
#
# Usage: scripts/reliability.sh
#   FUZZ_SECONDS   seconds per fuzz target (default 600)
#   STRESS_OPS     operations of the stress test (default 4 000 000)
#   SOAK_CALLS     calls of the soak (default 1 000 000)
# Run scripts/test.sh once first on a fresh machine: it installs what this needs.
set -euo pipefail
cd "$(dirname "$0")/.."

fuzz_seconds=${FUZZ_SECONDS:-600}
stress_ops=${STRESS_OPS:-4000000}
soak_calls=${SOAK_CALLS:-1000000}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "== machine"
echo "$(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB, $(uname -srm), $(rustc --version)"

# Runs a command into a log; prints the log's lines matching `pattern`, or,
# when the command fails, the end of the log and stops.
show() {
  local name=$1 pattern=$2
  shift 2
  "$@" >"$out/$name.log" 2>&1 || { tail -n 40 "$out/$name.log"; exit 1; }
  grep -E "$pattern" "$out/$name.log"
}

echo "== loom (exhaustive)"
show loom '^loom:' env RUSTFLAGS="--cfg loom" CARGO_TARGET_DIR=target/loom \
  cargo test --quiet --locked --lib loom_model -- --nocapture --test-threads 1

echo "== stress, optimised: $stress_ops operations on 8 threads"
show stress '^(stress|threads):' env WERUN_STRESS_OPS="$stress_ops" \
  cargo test --quiet --locked --release --test stress -- --nocapture --test-threads 1

echo "== soak, optimised: $soak_calls calls, and 10 000 in flight"
show soak '^(soak|in flight):' env WERUN_SOAK_CALLS="$soak_calls" \
  cargo test --quiet --locked --release --test soak -- --nocapture --test-threads 1

echo "== IVs and key hygiene"
show secrets '^test result' cargo test --quiet --locked --test secrets
show key_hygiene '^test result' cargo test --quiet --locked --release --test key_hygiene

echo "== C programs: valgrind and ASan/UBSan; the bad-input matrix"
show c '^(c-tests|bad_inputs):' bash tests/c/run.sh
rows=$(sed -n '/bad-inputs:begin/,/bad-inputs:end/p' docs/BAD_INPUTS.md | grep -c '^| `werun')
echo "bad inputs: $rows rows in docs/BAD_INPUTS.md"

echo "== HarmonyOS module under Node.js and valgrind"
show harmony '^valgrind:|^harmony:' bash bindings/harmony/tests/run.sh

echo "== React Native module, 20 runs and ASan/UBSan"
show rn '^asan:|^react-native:' bash bindings/react-native/tests/run.sh

echo "== fuzzing, ${fuzz_seconds}s per target"
show fuzz '^fuzz:' bash scripts/fuzz.sh "$fuzz_seconds"
