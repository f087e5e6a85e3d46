#!/usr/bin/env bash
# Tests of werun's React Native binding, run for real: the C++ TurboModule on
# React Native's JSCRuntime (JavaScriptCore), reached through
# TurboModuleBinding as a bridgeless app reaches it.
#   1. installs the npm packages (react-native's C++ sources, codegen,
#      esbuild, chai, crypto-js) in bindings/js and bindings/react-native;
#   2. packs the package with npm (its prepack script copies in the shared
#      files, bindings/common/vendor.mjs), checks the tarball's file list
#      against tests/packed/files.txt and extracts it into build/pack/package.
#      Every later step uses that copy, never the repository's, so the
#      tarball is what is tested, and a file it lacks fails the run;
#   3. type-checks the package's TypeScript, in the repository and as an app
#      compiles the packed package, and runs @react-native/codegen on the
#      packed src/ (the bundle checks the module against the schema);
#   4. bundles tests/js/main.mjs (the shared conformance suites, the
#      TurboModule's own cases, the reload phases) with esbuild;
#   5. builds werun-rn-host through CMake (build-host.sh: the packed
#      package's android/CMakeLists.txt, which runs cargo on the packed
#      rust/) and runs the bundle $WERUN_RN_RUNS times (20 by default), to
#      catch thread-hop races;
#   6. builds it again with ASan and UBSan and runs the bundle once.
# Each host run ends with "N passed, M failed". This script ends with one
# line, "react-native: N passed, M failed", which adds up the test results of
# every host run and counts each other step once, and exits non-zero if
# anything failed.
#
# Usage: bindings/react-native/tests/run.sh [--react-native VERSION]
#   --react-native VERSION: build the host against that react-native release
#   (an npm version or range, such as 0.77.3) instead of the pinned
#   devDependency, fetched from npm with that release's @react-native/codegen,
#   which also checks the packed spec; steps 1-4 as above, then the bundle
#   $WERUN_RN_RUNS times (5 by default), no ASan build. The result line names
#   the release: "react-native 0.77.3: N passed, M failed".
# Needs: node 20 and npm, cmake, g++ 12, pkg-config, libjavascriptcoregtk-4.1-dev, cargo.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
package=$(cd "$here/.." && pwd)
root=$(cd "$package/../.." && pwd)
release=""
case ${1:-} in
"") ;;
--react-native) release=${2:?"--react-native needs a version"} ;;
*) echo "usage: $0 [--react-native VERSION]" >&2; exit 2 ;;
esac
if [ -n "$release" ]; then runs=${WERUN_RN_RUNS:-5}; else runs=${WERUN_RN_RUNS:-20}; fi
# A guard against a hang, not a timing assertion.
run_timeout=600

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
# step, gate, tally_add, and the result line (scripts/lib/tally.sh).
source "$root/scripts/lib/tally.sh" "react-native${release:+@$release}"

# Runs the bundle in a host and adds its "N passed, M failed" to the totals;
# prints its result lines that are not "ok".
host_run() {
  local name=$1 host=$2 log=$3
  shift 3
  timeout "$run_timeout" env "$@" "$host" build/werun-rn-tests.js >"$log" 2>&1
  local status=$?
  local summary
  summary=$(tail -n 1 "$log")
  grep -v -e '^ok' -e '^# phase' "$log" | grep -v -x -e "$summary" | tail -n 60
  [ "$status" -eq 124 ] && echo "$name: timed out after ${run_timeout}s"
  local counted=0
  if [[ $summary =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
    tally_add "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}"
    counted=1
  else
    summary="no summary"
  fi
  echo "$name: $summary (exit $status)"
  # A run that exits non-zero, or crashes or hangs before its summary,
  # counts as a failure of its own, even after a summary of all passed.
  if [ "$status" -ne 0 ] || [ "$counted" -eq 0 ]; then
    tally_fail "$name ($summary, exit $status)"
    return 1
  fi
}

finish() {
  tally_finish
  exit
}

# npm ci, unless this lock file was already installed (by an earlier run in
# the same test command, say): a stamp in node_modules records its hash.
npm_ci() {
  local hash
  hash=$(sha256sum "$1/package-lock.json" | cut -d' ' -f1)
  [ "$(cat "$1/node_modules/.werun-installed" 2>/dev/null)" = "$hash" ] && return 0
  (cd "$1" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error) &&
    echo "$hash" >"$1/node_modules/.werun-installed"
}

echo "== npm packages"
step "npm ci in bindings/js" npm_ci "$root/bindings/js"
step "npm ci in bindings/react-native" npm_ci "$package"
((failed)) && finish

cd "$package"
mkdir -p build
packed=build/pack/package
# The react-native release the host is built against, and its codegen.
rn_dir=$package/node_modules/react-native
codegen_dir=$package/node_modules/@react-native/codegen

if [ -n "$release" ]; then
  echo "== react-native $release and its @react-native/codegen, from npm"
  # Only react-native's own tarball (its C++ sources; not its dependencies,
  # which the host does not build), and the codegen release it names, with
  # its dependencies. npm's cache keeps the downloads for later runs.
  fetch_release() {
    local dir=$package/build/releases/$release
    rm -rf "$dir" && mkdir -p "$dir/react-native" &&
      (cd "$dir" && npm pack "react-native@$release" --silent --loglevel=error >pack.txt) &&
      tar -xzf "$dir"/react-native-*.tgz -C "$dir/react-native" --strip-components=1 &&
      local codegen &&
      codegen=$(node -p 'require(process.argv[1]).dependencies["@react-native/codegen"]' "$dir/react-native/package.json") &&
      echo '{"private": true}' >"$dir/package.json" &&
      (cd "$dir" && npm install --no-audit --no-fund --ignore-scripts --no-package-lock --loglevel=error \
        "@react-native/codegen@$codegen" >/dev/null) &&
      rn_dir=$dir/react-native && codegen_dir=$dir/node_modules/@react-native/codegen
  }
  step "fetch react-native@$release" fetch_release
  ((failed)) && finish
  version=$(node -p 'require(process.argv[1]).version' "$rn_dir/package.json")
  tally_label="react-native@$version"
  echo "react-native $version (codegen $(node -p 'require(process.argv[1]).version' "$codegen_dir/package.json"))"
fi

echo "== npm pack"
# npm pack runs prepack (vendor.mjs); its JSON names every file it packed.
# npm stamps every packed file with one time in 1985, so the extracted files
# are unpacked with the current time instead, and a file whose bytes did not
# change since the last pack takes back its previous time: make and cargo
# then rebuild exactly what changed, as they would in an app.
pack() {
  rm -rf build/pack.new && mkdir -p build/pack.new &&
    npm pack --json --pack-destination build/pack.new --loglevel=error >build/pack.new/pack.json &&
    tar -xzf build/pack.new/react-native-werun-*.tgz -C build/pack.new --touch &&
    (cd build/pack.new && find package -type f -print0 | while IFS= read -r -d '' file; do
      if [ -f "../pack/$file" ] && cmp -s "$file" "../pack/$file"; then touch -r "../pack/$file" "$file"; fi
    done) &&
    rm -rf build/pack && mv build/pack.new build/pack
}
# (rust/ is checked against cargo's own list below.)
packed_files() {
  node -e 'const [{ files }] = JSON.parse(require("fs").readFileSync(0, "utf8"));
    console.log(files.map((f) => f.path).filter((p) => !p.startsWith("rust/")).sort().join("\n"))' <build/pack/pack.json |
    diff -u tests/packed/files.txt - >&2
}
step "npm pack" pack
((failed)) && finish
step "the tarball holds tests/packed/files.txt, no more" packed_files
# rust/ is werun's crate as `cargo package` makes it (bindings/common/vendor.mjs).
packed_crate() {
  diff -u <(cd "$root" && cargo package --list --allow-dirty --locked 2>/dev/null |
    grep -v -x -e .cargo_vcs_info.json -e Cargo.toml.orig | LC_ALL=C sort) \
    <(cd "$packed/rust" && find . -type f | sed 's|^\./||' | LC_ALL=C sort) >&2
}
step "the tarball's rust/ is werun's crate as cargo packages it" packed_crate

echo "== TypeScript and codegen"
step "tsc (src/index.ts, tests/usage-check.ts)" npx --no-install tsc -p tsconfig.json
step "tsc (tests/usage-check.ts against the packed package)" npx --no-install tsc -p tests/packed/tsconfig.json
step "@react-native/codegen $(node -p 'require(process.argv[1]).version' "$codegen_dir/package.json") on the packed src/NativeWeRun.ts" \
  node "$codegen_dir/lib/cli/combine/combine-js-to-schema-cli.js" build/codegen-schema.json "$packed/src"

echo "== bundling tests/js/main.mjs"
bundle() {
  npx --no-install esbuild tests/js/main.mjs --bundle --format=iife --platform=neutral \
    --main-fields=module,main --alias:react-native=./tests/js/react-native.mjs \
    --alias:react-native-werun=./$packed --external:crypto \
    --outfile=build/werun-rn-tests.js --log-level=warning
}
step "esbuild bundle" bundle
((failed)) && finish

echo "== werun-rn-host against react-native $(node -p 'require(process.argv[1]).version' "$rn_dir/package.json"), $runs runs"
build_host() { bash "$here/build-host.sh" plain "$rn_dir" | tee "$logs/build.txt"; }
if gate "build werun-rn-host" build_host; then
  host=$(sed -n 's/^werun-rn-host for react-native [^:]*: //p' "$logs/build.txt")
  for i in $(seq 1 "$runs"); do
    host_run "run $i" "$host" "$logs/run-$i.log"
  done
fi
[ -n "$release" ] && finish

echo "== werun-rn-host under ASan and UBSan"
if gate "build werun-rn-host (asan)" bash "$here/build-host.sh" asan; then
  # JavaScriptCore is not instrumented: what it allocates itself and keeps
  # until exit is not ours to judge (lsan.supp); every error and leak in
  # werun, the module, React Native's C++ and the host is. Allocation stacks
  # are kept two frames deep so the suppression matches only memory that
  # JavaScriptCore itself allocated, not ours allocated under a JS call.
  sanitizer_env=(
    "ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:malloc_context_size=2"
    "LSAN_OPTIONS=suppressions=$here/lsan.supp:print_suppressions=0"
    "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1"
  )
  if ! host_run "asan" build/asan/werun-rn-host "$logs/asan.log" "${sanitizer_env[@]}"; then
    grep -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' -A12 "$logs/asan.log" | head -n 80 || true
  fi
  # Proves the sanitizers were really linked (rustls-ffi's check).
  step "ASan is linked into the asan host" bash -c "nm build/asan/werun-rn-host | grep -q __asan_init"
fi

finish
