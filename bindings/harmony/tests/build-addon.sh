#!/usr/bin/env bash
# Builds the Node-API addon for tests through the module's own CMake build
# (src/main/cpp/CMakeLists.txt, the file hvigor runs for OHOS), which on
# Linux builds the Node.js flavour from Node's headers and runs cargo for the
# Rust core itself:
#
#   cmake -S bindings/harmony/src/main/cpp -B DIR && cmake --build DIR
#
# with warnings as errors, cargo's output in the repository's target/ (shared
# with cargo test), and the module copied to where the tests load it.
#
# Usage: bindings/harmony/tests/build-addon.sh [extra compiler flags...]
# Output: bindings/harmony/build/werun.node (WERUN_ADDON_OUT overrides it).
# WERUN_ADDON_PROFILE=release builds it as production does (CMake's Release,
# werun's release profile), for bench/compare.sh; the default is a debug build.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
out=${WERUN_ADDON_OUT:-$root/bindings/harmony/build/werun.node}

command -v cmake >/dev/null || { echo "build-addon.sh: cmake not found (install cmake)" >&2; exit 1; }
case ${WERUN_ADDON_PROFILE:-debug} in
debug) build_type=Debug ;;
release) build_type=Release ;;
*) echo "build-addon.sh: WERUN_ADDON_PROFILE is debug or release" >&2; exit 2 ;;
esac

build=$root/bindings/harmony/build/cmake-${WERUN_ADDON_PROFILE:-debug}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
cmake -S "$root/bindings/harmony/src/main/cpp" -B "$build" -Wno-dev --log-level=WARNING \
  -DCMAKE_BUILD_TYPE="$build_type" -DWERUN_WERROR=ON -DCMAKE_CXX_FLAGS="$*" \
  ${NODE_INCLUDE_DIR:+-DNODE_INCLUDE_DIR="$NODE_INCLUDE_DIR"} >/dev/null
cmake --build "$build" --parallel 2 -- --no-print-directory >/dev/null
mkdir -p "$(dirname "$out")"
# Replaced, not rewritten in place: a process that has the old module loaded
# keeps its mapping.
cp "$build/werun.node" "$out.tmp.$$" && mv -f "$out.tmp.$$" "$out"
