#!/usr/bin/env bash
# werun against third-party decryptors of WeChat open data (docs/INTEROP.md):
#   1. builds the werun CLI, the boundary the suite uses;
#   2. installs wechatpy and what it imports, pinned in requirements.txt, into
#      a venv in target/interop/venv;
#   3. installs node-easywechat, pinned in package-lock.json (npm ci);
#   4. runs interop.py: what werun seals opens in each peer, what each peer
#      seals opens in werun, and werun's message for each failure class
#      beside the peers'.
# Ends with "interop: N passed, M failed", where each check of interop.py
# counts once and so does each other step; exits non-zero if anything failed.
# INTEROP_SEED=N replays a run of interop.py (each run prints its seed).
#
# Usage: tests/interop/run.sh
# Needs: cargo, python3 with venv (Debian: python3-venv), node and npm.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
source "$root/scripts/lib/tally.sh" interop

werun=${CARGO_TARGET_DIR:-$root/target}/debug/werun
venv=${CARGO_TARGET_DIR:-$root/target}/interop/venv

if ! gate "cargo build --bin werun" cargo build --locked --quiet --bin werun; then
  tally_finish
  exit 1
fi

# --no-deps: requirements.txt pins everything wechatpy imports, and pip check
# says so; nothing unpinned comes in.
python_peer() {
  { [ -x "$venv/bin/python" ] || python3 -m venv "$venv"; } &&
    "$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps -r "$here/requirements.txt" &&
    "$venv/bin/pip" check --disable-pip-version-check
}
# npm ci again only when the lock changed since the last install.
node_peer() {
  [ "$here/node_modules/.package-lock.json" -nt "$here/package-lock.json" ] ||
    (cd "$here" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
}
installed=$SECONDS
gate "wechatpy into $venv (requirements.txt)" python_peer && python_ok=1 || python_ok=0
gate "node-easywechat (npm ci)" node_peer && node_ok=1 || node_ok=0
echo "interop: installing the peers took $((SECONDS - installed)) s"

if ((python_ok && node_ok)); then
  log=$(mktemp)
  trap 'rm -f "$log"' EXIT
  # -B: no __pycache__ beside the sources.
  "$venv/bin/python" -B "$here/interop.py" "$werun" | tee "$log"
  status=${PIPESTATUS[0]}
  counts=$(sed -n 's/^checks: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$log" | tail -n 1)
  # shellcheck disable=SC2086 # two numbers
  [ -n "$counts" ] && tally_add $counts
  if [ "$status" -ne 0 ] && { [ -z "$counts" ] || [ "${counts#* }" -eq 0 ]; }; then
    tally_fail "interop.py exited $status"
  fi
fi
tally_finish
