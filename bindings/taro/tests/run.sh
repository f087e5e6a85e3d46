#!/usr/bin/env bash
# Tests of @werun/taro-plugin (bindings/taro):
#   1. the plugin through Taro's real packages (tests/plugin/: Taro's Kernel
#      from @tarojs/service with the harmony-ets and hybrid platform plugins;
#      what stands in is in its README and kernel.mjs), every page form
#      reaching werun's Node-API module on ArkTS builds, and the hybrid
#      webpack chain changed as the plugin says;
#   2. the hybrid bridge in a real browser (tests/bridge/: Debian's headless
#      Chromium standing in for ArkWeb, Node running the ArkTS shell's own
#      code, WeRunWebProxy.ets, over the real Node-API module standing in for
#      the ArkTS shell, Playwright's exposeBinding for registerJavaScriptProxy;
#      the page's @tarojs/taro is the hybrid plugin's real runtime module).
# Builds or installs what is missing: the addon, bindings/js, Taro's packages
# (tests/taro's lock file, shared with tests/taro/run.sh), playwright-core.
# Ends with "taro-plugin: N passed, M failed" and exits non-zero on a failure.
# Usage: bindings/taro/tests/run.sh
# Needs: node 20 and npm, cmake, g++, cargo, chromium (Debian's, at
# /usr/bin/chromium or $CHROMIUM).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
source "$root/scripts/lib/tally.sh" taro-plugin

npm_ci() { (cd "$1" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error); }

cd "$root"
[ -f bindings/harmony/build/werun.node ] || gate "build the Node-API module" bash bindings/harmony/tests/build-addon.sh
[ -f bindings/js/dist/installWeRun.js ] ||
  gate "build bindings/js" bash -c 'cd bindings/js && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build'
[ -d tests/taro/node_modules ] || gate "npm ci (Taro's packages, tests/taro)" npm_ci tests/taro
[ -d "$here/bridge/node_modules" ] || gate "npm ci (playwright-core, tests/bridge)" npm_ci "$here/bridge"
# The page module's copies (the package's prepack step).
gate "vendor.mjs taro" node bindings/common/vendor.mjs taro
command -v "${CHROMIUM:-/usr/bin/chromium}" >/dev/null ||
  tally_fail "no Chromium at ${CHROMIUM:-/usr/bin/chromium} (apt-get install chromium)"
((failed)) && { tally_finish; exit 1; }

echo "== the plugin through Taro's packages"
node_tests bindings/taro/tests/plugin/*.test.mjs

echo "== the hybrid bridge in headless Chromium"
# One file at a time: each launches a browser.
node_tests --test-concurrency=1 "$here"/bridge/*.test.mjs

tally_finish
