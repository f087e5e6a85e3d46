#!/usr/bin/env bash
# Checks that the addon imports only Node-API functions OpenHarmony exports:
# every undefined dynamic symbol named napi_* or node_api_* must be listed in
# ohos-napi-symbols.txt (OpenHarmony's NDK list; its header names the source).
#
# Usage: bindings/harmony/tests/check-napi-symbols.sh [addon]
#   addon defaults to bindings/harmony/build/werun.node (build-addon.sh's output).
# Exit status: 0 when all are listed; 1 listing the others; 2 on a usage error.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
addon=${1:-$root/bindings/harmony/build/werun.node}
allow=$here/ohos-napi-symbols.txt

command -v nm >/dev/null || { echo "check-napi-symbols: nm not found (install binutils)" >&2; exit 2; }
[ -f "$addon" ] || { echo "check-napi-symbols: no addon at $addon (run build-addon.sh first)" >&2; exit 2; }
[ -f "$allow" ] || { echo "check-napi-symbols: no allow-list at $allow" >&2; exit 2; }

# nm prints "U name" or "U name@VERSION"; keep the name.
imported=$(nm -D --undefined-only "$addon" | awk '{ print $NF }' | sed 's/@.*//' \
  | grep -E '^(napi|node_api)_' | LC_ALL=C sort -u || true)
allowed=$(grep -v -e '^#' -e '^[[:space:]]*$' "$allow" | LC_ALL=C sort -u)

count=0
[ -n "$imported" ] && count=$(printf '%s\n' "$imported" | wc -l)
missing=$(LC_ALL=C comm -23 <(printf '%s\n' "$imported" | sed '/^$/d') <(printf '%s\n' "$allowed"))

if [ -n "$missing" ]; then
  echo "napi-symbols: $(printf '%s\n' "$missing" | wc -l) of $count imported Node-API symbols are not in the OpenHarmony allow-list:" >&2
  printf '  %s\n' $missing >&2
  exit 1
fi
echo "napi-symbols: $count imported, all in the OpenHarmony allow-list"
