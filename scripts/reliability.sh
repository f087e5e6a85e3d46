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

echo "== loom (exhaustive)"
RUSTFLAGS="--cfg loom" CARGO_TARGET_DIR=target/loom cargo test --quiet --locked --lib loom_model -- --nocapture \
  --test-threads 1 2>&1 | grep '^loom:'

echo "== stress, optimised: $stress_ops operations on 8 threads"
WERUN_STRESS_OPS=$stress_ops cargo test --quiet --locked --release --test stress -- --nocapture --test-threads 1 2>&1 |
  grep -E '^(stress|threads):'

echo "== soak, optimised: $soak_calls calls, and 10 000 in flight"
WERUN_SOAK_CALLS=$soak_calls cargo test --quiet --locked --release --test soak -- --nocapture --test-threads 1 2>&1 |
  grep -E '^(soak|in flight):'

echo "== IVs and key hygiene"
cargo test --quiet --locked --test secrets 2>&1 | grep -E '^test result'
cargo test --quiet --locked --release --test key_hygiene 2>&1 | grep -E '^test result'

echo "== C programs: valgrind and ASan/UBSan; the bad-input matrix"
bash tests/c/run.sh >"$out/c.log" 2>&1 || { tail -n 40 "$out/c.log"; exit 1; }
grep -E '^(c-tests|bad_inputs):' "$out/c.log"
rows=$(sed -n '/bad-inputs:begin/,/bad-inputs:end/p' docs/BAD_INPUTS.md | grep -c '^| `werun')
echo "bad inputs: $rows rows in docs/BAD_INPUTS.md"

echo "== HarmonyOS module under Node.js and valgrind"
bash bindings/harmony/tests/run.sh >"$out/harmony.log" 2>&1 || { tail -n 40 "$out/harmony.log"; exit 1; }
grep -E '^valgrind:|^harmony:' "$out/harmony.log"

echo "== React Native module, 20 runs and ASan/UBSan"
bash bindings/react-native/tests/run.sh >"$out/rn.log" 2>&1 || { tail -n 40 "$out/rn.log"; exit 1; }
grep -E '^asan:|^react-native:' "$out/rn.log"

echo "== fuzzing, ${fuzz_seconds}s per target"
bash scripts/fuzz.sh "$fuzz_seconds" 2>&1 | grep -E '^fuzz:'
