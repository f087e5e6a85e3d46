#!/bin/bash
# The podspec's script phase: builds werun's Rust core from the package's own
# copy of the crate (../rust) for what the current Xcode build targets
# ($PLATFORM_NAME and $ARCHS), before the pod's sources compile, into
# $PODS_CONFIGURATION_BUILD_DIR/werun-rust/libwerun.a, which the app links
# (the podspec's user_target_xcconfig). Cargo decides whether anything
# changed, so an unchanged build costs a second.
#
# The one prerequisite is Rust with the targets (rustup ships them):
#   rustup target add aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios
# Cargo's output goes to $CARGO_TARGET_DIR when set, else to the build's
# $DERIVED_FILE_DIR/cargo. Debug builds use cargo's dev profile.
#
# UNTESTED: this machine has no Xcode (bindings/react-native/README.md).
set -euo pipefail

crate="$PODS_TARGET_SRCROOT/rust"
out="$PODS_CONFIGURATION_BUILD_DIR/werun-rust"
target_dir="${CARGO_TARGET_DIR:-$DERIVED_FILE_DIR/cargo}"
# Xcode's PATH does not hold rustup's.
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
command -v cargo >/dev/null ||
  { echo "error: react-native-werun: cargo not found; install Rust (https://rustup.rs)"; exit 1; }

if [ "${CONFIGURATION:-Release}" = Debug ]; then
  profile=(); profile_dir=debug
else
  profile=(--release); profile_dir=release
fi

libraries=()
for arch in $ARCHS; do
  case "$PLATFORM_NAME/$arch" in
  iphoneos/arm64) target=aarch64-apple-ios ;;
  iphonesimulator/arm64) target=aarch64-apple-ios-sim ;;
  iphonesimulator/x86_64) target=x86_64-apple-ios ;;
  *) echo "error: react-native-werun: no Rust target for $PLATFORM_NAME/$arch"; exit 1 ;;
  esac
  # SDKROOT names the iOS SDK, but build scripts are linked for the Mac:
  # rustc finds each target's SDK itself through xcrun.
  env -u SDKROOT cargo rustc --lib --crate-type staticlib --no-default-features --locked \
    "${profile[@]}" --target "$target" --target-dir "$target_dir" --manifest-path "$crate/Cargo.toml"
  libraries+=("$target_dir/$target/$profile_dir/libwerun.a")
done

mkdir -p "$out"
lipo -create "${libraries[@]}" -output "$out/libwerun.a.tmp"
mv -f "$out/libwerun.a.tmp" "$out/libwerun.a"
