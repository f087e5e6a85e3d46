#!/usr/bin/env bash
# The React Native binding's figures in one run: builds werun-rn-host, the
# JSI host of bindings/react-native/tests, as Release (-O2 -DNDEBUG, werun's
# release profile) with the benchmark's native helpers (bench_host.inc),
# then bench/rn/compare.mjs times the TurboModule against a bare JSI floor
# on React Native's JSCRuntime and measures calls in flight.
#
# Usage: bench/rn/compare.sh [--quick]
#   --quick: a few hundred calls each, to check that everything still runs;
#   the ratios then mean nothing.
# Needs: node 20 and npm, cmake, g++ 12, pkg-config,
# libjavascriptcoregtk-4.1-dev, cargo (as bindings/react-native/tests/run.sh).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
package=$root/bindings/react-native
mode=${1:-}
build=$package/build/bench

echo "== building werun-rn-host for the benchmark (release)"
# react-native's C++ sources, from the pinned devDependency: npm ci, unless
# tests/run.sh already installed this lock file (its stamp says so).
hash=$(sha256sum "$package/package-lock.json" | cut -d' ' -f1)
if [ "$(cat "$package/node_modules/.werun-installed" 2>/dev/null)" != "$hash" ]; then
  (cd "$package" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error) &&
    echo "$hash" >"$package/node_modules/.werun-installed"
fi
# The shared files and werun's crate copied into the package, as npm pack's
# prepack does: the host builds the package's own android/CMakeLists.txt.
node "$root/bindings/common/vendor.mjs" react-native >/dev/null
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
cmake -S "$package/tests/host" -B "$build" -Wno-dev --log-level=WARNING \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" -DWERUN_CARGO_PROFILE=release \
  -DREACT_NATIVE_DIR="$package/node_modules/react-native" -DWERUN_RN_PACKAGE="$package" \
  -DWERUN_RN_BENCH_DIR="$here" >/dev/null
cmake --build "$build" --parallel "$(nproc)" -- --no-print-directory >/dev/null

echo "== comparing (React Native's JSCRuntime over JavaScriptCore)"
node "$here/compare.mjs" "$build/werun-rn-host" "$mode"
