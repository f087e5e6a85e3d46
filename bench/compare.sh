#!/usr/bin/env bash
# Builds and runs bench/compare.mjs: werun against node:crypto, crypto-js and
# a bare Node-API round trip, in one run, as a table of ratios with their
# budgets; then the stripped library's size. See docs/PERFORMANCE.md.
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
cargo build --quiet --release --no-default-features --lib
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

strip -o "$build/libwerun.stripped.so" target/release/libwerun.so
size=$(stat -c %s "$build/libwerun.stripped.so")
echo "size: libwerun.so stripped: $((size / 1024)) KiB (budget 600 KB = 585 KiB)"
