#!/usr/bin/env bash
# Taro page code through Taro's own npm packages, on React Native and on
# HarmonyOS ArkTS, reaching werun's Node-API module through installWeRun
# (taro.test.mjs; what is real and what stands in: build.mjs). Builds the
# addon and bindings/js if their outputs are missing, installs the pinned Taro
# packages (package-lock.json) if node_modules is missing.
# Usage: tests/taro/run.sh
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
source "$root/scripts/lib/tally.sh" taro

cd "$root"
[ -f bindings/harmony/build/werun.node ] || step "build the Node-API module" bash bindings/harmony/tests/build-addon.sh
[ -f bindings/js/dist/installWeRun.js ] ||
  step "build bindings/js" bash -c 'cd bindings/js && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build'
if [ ! -d "$here/node_modules" ]; then
  start=$SECONDS
  step "npm ci (Taro packages)" bash -c "cd '$here' && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error"
  echo "taro: npm ci took $((SECONDS - start)) s"
fi

cd "$here"
node_tests taro.test.mjs
tally_finish
