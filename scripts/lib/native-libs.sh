#!/usr/bin/env bash
# Prints the system libraries that Rust's std needs when libwerun.a is linked
# into a C program, as rustc reports them for this crate and target (cargo
# replays the note when the crate is already built). Used by tests/c/run.sh
# and bench/compare.sh.
#
# Usage: scripts/lib/native-libs.sh [cargo profile flags, such as --release]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
line=$(cargo rustc "$@" --no-default-features --lib --crate-type staticlib \
  -- --print native-static-libs 2>&1 | sed -n 's/^note: native-static-libs: //p' | tail -n 1)
if [[ -z $line ]]; then
  echo "native-libs.sh: rustc did not report native-static-libs" >&2
  exit 1
fi
echo "$line"
