#!/usr/bin/env bash
# Builds werun-rn-host: the JSI test host (tests/host/) with the real
# WeRunTurboModule (cpp/), React Native's JSI, JSCRuntime, TurboModule and
# bridging sources from the pinned react-native npm package, JavaScriptCore
# from Debian's libjavascriptcoregtk-4.1-dev, and werun's static library.
#
# Usage: bindings/react-native/tests/build-host.sh [plain|asan] [cpp dir]
#   plain (the default): -O1 -g.
#   asan: AddressSanitizer and UndefinedBehaviorSanitizer (but its vptr check)
#   on everything but JavaScriptCore and the Rust library.
#   cpp dir: the module's C++ sources; by default those of the package as npm
#   packed it (build/pack/package/cpp, which tests/run.sh extracts), built
#   with no include path into the repository, so a file the tarball lacks
#   fails the build.
# Output: bindings/react-native/build/<variant>/werun-rn-host.
# Needs: npm ci done in bindings/react-native, g++ 12, pkg-config, cargo.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
package=$(cd "$here/.." && pwd)
root=$(cd "$package/../.." && pwd)
variant=${1:-plain}
cpp=${2:-$package/build/pack/package/cpp}
rn=$package/node_modules/react-native/ReactCommon
out=$package/build/$variant

[ -f "$cpp/WeRunTurboModule.cpp" ] || { echo "build-host.sh: no module sources in $cpp (run tests/run.sh, which packs them)" >&2; exit 1; }
[ -d "$rn" ] || { echo "build-host.sh: no $rn (run npm ci in bindings/react-native)" >&2; exit 1; }
pkg-config --exists javascriptcoregtk-4.1 ||
  { echo "build-host.sh: JavaScriptCore not found (install libjavascriptcoregtk-4.1-dev)" >&2; exit 1; }

case $variant in
plain) sanitize=() ;;
# vptr is off: libstdc++'s shared_ptr code compiled here also releases
# JavaScriptCore's own objects, which WebKit builds without RTTI, so the
# check would flag every one of them.
asan) sanitize=(-fsanitize=address,undefined -fno-sanitize=vptr -fno-sanitize-recover=undefined -fno-omit-frame-pointer) ;;
*) echo "build-host.sh: unknown variant $variant (plain or asan)" >&2; exit 2 ;;
esac

# React Native's sources assert in debug builds on things JSC on Linux does
# differently; React Native builds them with NDEBUG too.
common=(-std=c++20 -DNDEBUG -O1 -g -fPIC "${sanitize[@]}" $(pkg-config --cflags javascriptcoregtk-4.1)
  -I "$rn/jsi" -I "$rn" -I "$rn/callinvoker" -I "$rn/react/nativemodule/core" -I "$rn/jsc")
ours=(-Wall -Wextra -Werror -I "$cpp")

rn_sources=(
  jsi/jsi/jsi.cpp
  jsc/JSCRuntime.cpp
  react/bridging/LongLivedObject.cpp
  react/nativemodule/core/ReactCommon/TurboModule.cpp
  react/nativemodule/core/ReactCommon/TurboModuleBinding.cpp
  react/nativemodule/core/ReactCommon/TurboModuleWithJSIBindings.cpp
  react/utils/jsi-utils.cpp
)

cd "$root"
cargo build --quiet --no-default-features --lib
mkdir -p "$out/rn"

objects=()
for source in "${rn_sources[@]}"; do
  object=$out/rn/$(echo "$source" | tr / _ | sed 's/\.cpp$/.o/')
  if [ ! -f "$object" ] || [ "$rn/$source" -nt "$object" ]; then
    g++ "${common[@]}" -w -c "$rn/$source" -o "$object"
  fi
  objects+=("$object")
done

g++ "${common[@]}" "${ours[@]}" \
  "$cpp/WeRunTurboModule.cpp" "$here/host/main.cpp" "${objects[@]}" \
  target/debug/libwerun.a \
  $(pkg-config --libs javascriptcoregtk-4.1) -lpthread -ldl -lm \
  -o "$out/werun-rn-host"
