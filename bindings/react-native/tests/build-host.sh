#!/usr/bin/env bash
# Builds werun-rn-host through CMake (tests/host/CMakeLists.txt): the JSI test
# host linked with the `react-native-werun` target of the packed package's
# Android build (android/CMakeLists.txt), which runs cargo for werun's Rust
# core from the package's own rust/, with stand-ins for React Native's prefab
# `jsi` and `reactnative` targets built from react-native's npm sources, and
# JavaScriptCore from Debian's libjavascriptcoregtk-4.1-dev.
#
# Usage: bindings/react-native/tests/build-host.sh [plain|asan] [react-native dir]
#   plain (the default): -O1 -g.
#   asan: AddressSanitizer and UndefinedBehaviorSanitizer (but its vptr check)
#   on everything but JavaScriptCore and the Rust library.
#   react-native dir: the react-native npm package to build against; by
#   default the one bindings/react-native's devDependencies pin.
# The package is the one npm packed (build/pack/package, which tests/run.sh
# extracts): the build has no include path into the repository, so a file
# the tarball lacks fails it. Cargo's output goes to the repository's target/
# unless CARGO_TARGET_DIR says otherwise.
# Output: bindings/react-native/build/<variant>[-rn<version>]/werun-rn-host,
# printed on the last line.
# Needs: cmake, g++ 12, pkg-config, cargo, npm ci done in bindings/react-native.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
package=$(cd "$here/.." && pwd)
root=$(cd "$package/../.." && pwd)
variant=${1:-plain}
rn=${2:-$package/node_modules/react-native}
packed=$package/build/pack/package

[ -f "$packed/android/CMakeLists.txt" ] || { echo "build-host.sh: no packed package in $packed (run tests/run.sh, which packs it)" >&2; exit 1; }
[ -f "$rn/package.json" ] || { echo "build-host.sh: no react-native in $rn (run npm ci in bindings/react-native)" >&2; exit 1; }
command -v cmake >/dev/null || { echo "build-host.sh: cmake not found (install cmake)" >&2; exit 1; }
rn=$(cd "$rn" && pwd)
version=$(node -p 'require(process.argv[1]).version' "$rn/package.json")

case $variant in
plain) sanitize="" ;;
# vptr is off: libstdc++'s shared_ptr code compiled here also releases
# JavaScriptCore's own objects, which WebKit builds without RTTI, so the
# check would flag every one of them.
asan) sanitize="-fsanitize=address,undefined -fno-sanitize=vptr -fno-sanitize-recover=undefined -fno-omit-frame-pointer" ;;
*) echo "build-host.sh: unknown variant $variant (plain or asan)" >&2; exit 2 ;;
esac
out=$package/build/$variant
[ "$rn" = "$package/node_modules/react-native" ] || out=$out-rn$version

export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
cmake -S "$here/host" -B "$out" -Wno-dev --log-level=WARNING \
  -DCMAKE_BUILD_TYPE=Debug -DWERUN_CARGO_PROFILE=dev \
  -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" -DCMAKE_CXX_FLAGS="$sanitize" \
  -DCMAKE_EXE_LINKER_FLAGS="$sanitize" \
  -DREACT_NATIVE_DIR="$rn" -DWERUN_RN_PACKAGE="$packed" >/dev/null
cmake --build "$out" --parallel "$(nproc)" -- --no-print-directory >/dev/null
echo "werun-rn-host for react-native $version: $out/werun-rn-host"
