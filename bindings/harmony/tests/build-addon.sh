#!/usr/bin/env bash
# Builds the Node-API addon for tests: the same C++ source the OHOS build uses,
# compiled with plain g++ against the system Node headers (no header download)
# and linked with werun's static library.
#
# Usage: bindings/harmony/tests/build-addon.sh [extra compiler flags...]
# Output: bindings/harmony/build/werun.node (WERUN_ADDON_OUT overrides it).
# WERUN_ADDON_PROFILE=release builds it as production does (-O2, werun's
# release library), for bench/compare.sh; the default is a debug build.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
out=${WERUN_ADDON_OUT:-$root/bindings/harmony/build/werun.node}
node_include=${NODE_INCLUDE_DIR:-/usr/include/node}

[ -f "$node_include/node_api.h" ] || {
  echo "build-addon.sh: no node_api.h in $node_include (install Node.js headers)" >&2
  exit 1
}

cd "$root"
case ${WERUN_ADDON_PROFILE:-debug} in
debug) cargo_flags=() profile=debug optimize=(-g -O1) ;;
release) cargo_flags=(--release) profile=release optimize=(-O2) ;;
*) echo "build-addon.sh: WERUN_ADDON_PROFILE is debug or release" >&2; exit 2 ;;
esac
cargo build --quiet "${cargo_flags[@]}" --no-default-features --lib
mkdir -p "$(dirname "$out")"
# --exclude-libs keeps werun's own symbols out of the addon's dynamic table:
# the addon exports only what the loader needs.
g++ -std=c++17 -Wall -Wextra -Werror -pedantic "${optimize[@]}" -fPIC -shared \
  -DNAPI_VERSION=8 -I "$node_include" -I include -I bindings/common \
  "$@" \
  bindings/harmony/src/main/cpp/werun_napi.cpp \
  "target/$profile/libwerun.a" \
  -Wl,--exclude-libs,ALL -lpthread -ldl -lm \
  -o "$out"
