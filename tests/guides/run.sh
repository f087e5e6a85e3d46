#!/usr/bin/env bash
# Checks the guides' host examples (docs/guides/harmony.md,
# docs/guides/react-native.md):
#   1. type-checks examples/react-native/*.ts against react-native's and
#      react-native-werun's types and the health libraries' own declarations
#      (pinned in bindings/react-native's devDependencies);
#   2. runs tests/guides/hosts.test.mjs: every host example as werun's host
#      under Node, and the RN app setup through Taro on iOS and Android, with
#      the device in Asia/Shanghai and in America/New_York.
# Usage: tests/guides/run.sh (after bindings/harmony/tests/run.sh and
# bindings/react-native/tests/run.sh, which build the addon and install the
# npm packages).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

[ -f bindings/harmony/build/werun.node ] || bash bindings/harmony/tests/build-addon.sh
[ -d bindings/react-native/node_modules ] ||
  (cd bindings/react-native && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
[ -f bindings/js/dist/installWeRun.js ] ||
  (cd bindings/js && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build)
node bindings/common/vendor.mjs react-native

echo "== tsc: examples/react-native against the libraries' declarations"
bindings/react-native/node_modules/.bin/tsc -p examples/react-native/tsconfig.json

for tz in Asia/Shanghai America/New_York; do
  echo "== the hosts under werun's Node-API module, TZ=$tz"
  TZ=$tz node --test --test-reporter=spec tests/guides/hosts.test.mjs
done
