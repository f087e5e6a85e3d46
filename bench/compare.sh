#!/usr/bin/env bash
# Every figure of docs/PERFORMANCE.md in one run: bench/compare.mjs (werun
# against node:crypto, crypto-js and a bare Node-API round trip, as a table of
# ratios with their budgets), then bench/callgrind.sh (instruction counts of
# the native figures, with WeChat's algorithm over OpenSSL and cJSON as a
# second anchor), bench/callgrind-napi.sh (those of the Node-API module's
# round trips) and bench/size.sh (the library, and what apps ship); last,
# bench/rn/compare.sh (the React Native TurboModule on a JSI runtime).
#
# Usage: bench/compare.sh [--quick]
#   --quick: a few hundred calls each, to check that everything still runs
#   (scripts/test.sh); the ratios then mean nothing.
# Needs: cargo, g++/gcc, Node.js 20 with its headers, npm (scripts/test.sh
# installs them on a fresh machine).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
mode=${1:-}
build=$root/target/bench
node_include=${NODE_INCLUDE_DIR:-/usr/include/node}
cd "$root"

echo "== building (release)"
# libwerun.a as apps get it (WerunRust.cmake, cargo-c): with the crate type
# named, so that cargo applies the release profile's LTO (bench/size.sh).
cargo rustc --quiet --release --no-default-features --lib --crate-type staticlib
mkdir -p "$build"
native_libs=$(bash scripts/lib/native-libs.sh --release)
# The addon as production builds it (its CMakeLists, Release), plus the
# bench-only native host.
WERUN_ADDON_PROFILE=release WERUN_ADDON_OUT=$build/werun-bench.node \
  bash bindings/harmony/tests/build-addon.sh -DWERUN_NAPI_BENCH -I"$here/napi"
g++ -std=c++17 -O2 -fPIC -shared -DNAPI_VERSION=8 -I "$node_include" \
  "$here/napi/floor.cpp" -o "$build/napi_floor.node"
# shellcheck disable=SC2086
gcc -std=c11 -O2 -I include "$here/c/decrypt.c" target/release/libwerun.a $native_libs -o "$build/decrypt"
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)

echo "== comparing"
node --expose-gc "$here/compare.mjs" "$build" "$mode"

echo
echo "== instruction counts (callgrind: stable where wall time is not)"
bash "$here/callgrind.sh" ${mode:+"$mode"}

echo
echo "== instruction counts of the Node-API module's round trips (callgrind)"
bash "$here/callgrind-napi.sh" "$build" ${mode:+"$mode"}

echo
echo "== size"
bash "$here/size.sh"

# ---- React Native: the TurboModule on a real JSI runtime -------------------
# bench/rn/compare.sh: werun's TurboModule against a bare JSI promise round
# trip, and calls in flight, on React Native's JSCRuntime (the tests' host,
# built as Release with the benchmark's helpers).
echo
bash "$here/rn/compare.sh" ${mode:+"$mode"}
# ---- end of React Native ----------------------------------------------------
