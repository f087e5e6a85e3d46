#!/usr/bin/env bash
# Runs every test of werun on a fresh machine, installing what the tests need
# first (a C/C++ compiler, cmake, valgrind, Node.js, pkg-config, clang-format,
# python3 and its venv module, OpenSSL and cJSON headers and JavaScriptCore
# from apt; cargo-c and cargo-fuzz from crates.io; Chromium from apt for the
# hybrid bridge; the npm and PyPI packages each suite installs itself:
# react-native 0.88.1 and 0.77.3, OpenHarmony's ohos-typescript, Taro's
# packages, playwright-core, and the interop suite's node-easywechat and
# wechatpy, the latter into a venv under target/).
# Prints each section's time, and the total at the end.
# Usage: scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

# section NAME: ends the running section (printing its time) and starts NAME.
started=$SECONDS
section_name=""
section_start=$SECONDS
section() {
  [ -n "$section_name" ] && echo "== time: $section_name: $((SECONDS - section_start)) s"
  section_name=$1
  section_start=$SECONDS
  echo "== $1"
}

missing=()
command -v gcc >/dev/null || missing+=(gcc)
command -v g++ >/dev/null || missing+=(g++)
command -v cmake >/dev/null || missing+=(cmake)
command -v valgrind >/dev/null || missing+=(valgrind)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
[ -f /usr/include/node/node_api.h ] || missing+=(libnode-dev)
command -v pkg-config >/dev/null || missing+=(pkg-config)
command -v clang-format >/dev/null || missing+=(clang-format)
command -v python3 >/dev/null || missing+=(python3)
# The interop suite's venv (Debian keeps ensurepip in python3-venv).
python3 -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
# The Taro hybrid bridge's tests drive Debian's Chromium (playwright-core),
# with the one font package it recommends (apt installs no recommends here).
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -d /usr/share/fonts/truetype/liberation ] || missing+=(fonts-liberation)
# cargo install cargo-c builds cargo, which links the system OpenSSL.
{ command -v pkg-config >/dev/null && pkg-config --exists openssl; } || missing+=(libssl-dev)
# bench/callgrind.sh's second anchor: WeChat's algorithm in C over OpenSSL
# (libssl-dev, above) and Debian's cJSON.
{ command -v pkg-config >/dev/null && pkg-config --exists libcjson; } || missing+=(libcjson-dev)
# The React Native tests' JSI runtime: React Native's JSCRuntime over it.
{ command -v pkg-config >/dev/null && pkg-config --exists javascriptcoregtk-4.1; } ||
  missing+=(libjavascriptcoregtk-4.1-dev)
if ((${#missing[@]})); then
  echo "== installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

section "format and lints"
cargo fmt --all -- --check
# The bindings' C++ and ObjC++, against bindings/.clang-format.
git ls-files -z 'bindings/*.cpp' 'bindings/*.h' 'bindings/*.mm' | xargs -0 clang-format --dry-run --Werror
cargo clippy --all-targets --all-features --locked -- -D warnings

section "cargo package (what crates.io would get builds on its own)"
cargo package --locked --quiet --allow-dirty

section "Rust unit and integration tests (through the extern fns)"
cargo test --locked
# Panic containment, with the test-only export of the `testing` feature.
cargo test --locked --features testing --test panic_containment
# Key hygiene again as optimised code, which moves values differently (a move
# leaves a stale copy behind only there).
cargo test --locked --release --test key_hygiene
# Every interleaving of answer, timeout, cancel, second answer and free on a
# waiting call, with loom (the crate built with --cfg loom, apart).
RUSTFLAGS="--cfg loom" CARGO_TARGET_DIR=target/loom cargo test --locked --lib loom_model -- --nocapture
# One million calls at steady memory, and 10 000 in flight, optimised.
WERUN_SOAK_CALLS=1000000 cargo test --locked --release --test soak -- --nocapture

section "C and C++ programs against the static library, under valgrind"
bash tests/c/run.sh

section "the C library as cargo-c installs it, built against with pkg-config"
# cargo-c is pinned: later releases need a newer rustc than 1.95. Building it
# takes minutes (it compiles cargo).
# Unoptimised (opt-level 0): it runs once, on one small crate, and builds in
# a fraction of the release profile's time.
command -v cargo-cinstall >/dev/null ||
  CARGO_PROFILE_RELEASE_OPT_LEVEL=0 cargo install cargo-c --version 0.10.24 --locked
bash tests/c/installed.sh

section "HarmonyOS: the Node-API module (built by its CMakeLists) under Node.js and valgrind, the ArkTS by OpenHarmony's compiler and linter"
bash bindings/harmony/tests/run.sh

section "React Native TurboModule on a JSI runtime (JavaScriptCore), react-native 0.88.1: 20 runs and once under ASan/UBSan"
bash bindings/react-native/tests/run.sh

# The oldest release package.json's peerDependencies claim (>= 0.77); the
# newest, 0.88.1, is the devDependency the run above builds against.
section "React Native TurboModule against react-native 0.77.3"
bash bindings/react-native/tests/run.sh --react-native 0.77.3

section "Taro page code through Taro's own packages (React Native and HarmonyOS ArkTS)"
bash tests/taro/run.sh

section "@werun/taro-plugin through Taro's packages, and the hybrid bridge in headless Chromium"
bash bindings/taro/tests/run.sh

section "the guides' host examples (Health Service Kit, Health Connect, HealthKit) under the addon"
bash tests/guides/run.sh

section "interop: what werun seals opens in wechatpy (PyPI) and node-easywechat (npm), and what they seal opens in werun"
bash tests/interop/run.sh

section "benchmarks, in smoke mode (each runs once; docs/PERFORMANCE.md has the figures)"
cargo bench --locked --bench open_data --bench calls -- --test
bash bench/compare.sh --quick

section "fuzz targets, a short bounded pass (scripts/fuzz.sh; 10 minutes each for docs/RELIABILITY.md)"
bash scripts/fuzz.sh 15

section "done"
echo "== time: total: $((SECONDS - started)) s"
