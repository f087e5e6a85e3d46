#!/usr/bin/env bash
# Instruction counts of the Node-API module's round trips, next to
# bench/compare.mjs's wall-clock ratios for the same measures: Node.js runs
# bench/napi/round-trips.mjs under `valgrind --tool=callgrind` with N1 and
# N2 calls, and (I(N2) - I(N1)) / (N2 - N1) is a call's count, the process's
# start-up left out. User space only: the system calls of the thread hop
# (an eventfd write and an epoll wake-up, the same on both sides) are not
# counted. What the engine does besides the calls (its collector, its
# compilers) falls on either count and moves it by about 2%.
#
#   getWeRunData  the JS round trip, a native host answering in its hook
#   cAbi          the same round trip through the C ABI alone
#   checkSession  the JS round trip of a call the core finishes at once
#   floor         the bare Node-API round trip (bench/napi/floor.cpp)
#
# Usage: bench/callgrind-napi.sh <build dir> [--quick]
#   <build dir>: where bench/compare.sh built werun-bench.node and
#   napi_floor.node. Each run first makes 2000 calls, uncounted, for the
#   engine to tier its code up. --quick: 200, then N1=10 and N2=60, to check
#   that everything still runs (the figures then mean nothing). Otherwise
#   N1=1000, N2=6000 (a few minutes).
# Needs: node, valgrind.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=${1:?"usage: bench/callgrind-napi.sh <build dir> [--quick]"}
case ${2:-} in
  '') warm=2000 n1=1000 n2=6000 quick='' ;;
  --quick) warm=200 n1=10 n2=60 quick=1 ;;
  *) echo "usage: bench/callgrind-napi.sh <build dir> [--quick]" >&2; exit 2 ;;
esac
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# Every run at once, two at a time: valgrind runs one thread of Node.js at a time.
measures=(getWeRunData cAbi checkSession floor)
pids=()
for measure in "${measures[@]}"; do
  for n in "$n1" "$n2"; do
    valgrind --tool=callgrind --callgrind-out-file="$out/$measure.$n" \
      node --single-threaded "$here/napi/round-trips.mjs" "$build" "$measure" "$warm" "$n" >"$out/$measure.$n.log" 2>&1 &
    pids+=($!)
    if ((${#pids[@]} == 2)); then
      for pid in "${pids[@]}"; do
        wait "$pid" || { echo "callgrind-napi.sh: a run failed under valgrind" >&2; cat "$out"/*.log >&2; exit 1; }
      done
      pids=()
    fi
  done
done

per_call() {
  local small large
  small=$(sed -n 's/^summary: *//p' "$out/$1.$n1")
  large=$(sed -n 's/^summary: *//p' "$out/$1.$n2")
  echo $(((large - small) / (n2 - n1)))
}
js=$(per_call getWeRunData)
c_abi=$(per_call cAbi)
check=$(per_call checkSession)
floor=$(per_call floor)
overhead=$((js - c_abi))
times() { awk -v w="$1" -v f="$2" 'BEGIN { printf "%.2f× the floor", w / f }'; }

echo "Instructions per call of the JS round trips (callgrind, N = $n1 and $n2${quick:+; quick mode, the figures mean nothing}):"
echo
echo "| measure | werun | bare Node-API floor | ratio |"
echo "|---|---|---|---|"
echo "| JS round trip, no crypto: checkSession | $check | $floor | $(times "$check" "$floor") |"
echo "| getWeRunData's binding overhead (JS round trip $js minus the C ABI round trip $c_abi) | $overhead | $floor | $(times "$overhead" "$floor") |"
echo "| JS round trip, whole: getWeRunData (native host) | $js | $floor | $(times "$js" "$floor") |"
