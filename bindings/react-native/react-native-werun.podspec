# react-native-werun for iOS: the C++ TurboModule (cpp/), its module
# provider (ios/), and werun's Rust core, built from the package's own copy
# of the crate (rust/) by a script phase (ios/build-rust.sh) for the slice
# the build targets: pod install plus the app's build is the whole set-up,
# given Rust with the iOS targets.
# UNTESTED: nothing here has been built with Xcode or run on a device. See
# README.md, "Building for Android and iOS".
require "json"

package = JSON.parse(File.read(File.join(__dir__, "package.json")))

Pod::Spec.new do |s|
  s.name         = "react-native-werun"
  s.version      = package["version"]
  s.summary      = package["description"]
  s.license      = package["license"]
  s.homepage     = "https://github.com/werun/werun"
  s.authors      = "werun"
  s.source       = { :path => "." }
  s.platforms    = { :ios => min_ios_version_supported }

  s.source_files = "ios/**/*.{h,mm}", "cpp/**/*.{h,cpp}"
  s.preserve_paths = "rust/**/*", "ios/build-rust.sh"
  # werun.h and js_api.h are in cpp/vendor, copied there when the package was
  # packed (bindings/common/vendor.mjs); the module includes them by path.
  s.pod_target_xcconfig = {
    "CLANG_CXX_LANGUAGE_STANDARD" => "c++20"
  }

  # werun's Rust core, built before the pod's sources compile, for the
  # platform and architectures of this build; the app links it.
  s.script_phase = {
    :name => "Build werun's Rust core (cargo)",
    :script => 'bash "${PODS_TARGET_SRCROOT}/ios/build-rust.sh"',
    :execution_position => :before_compile,
    # Every build: cargo itself knows whether a source changed.
    :always_out_of_date => "1",
    :output_files => ["${PODS_CONFIGURATION_BUILD_DIR}/werun-rust/libwerun.a"]
  }
  s.user_target_xcconfig = {
    "LIBRARY_SEARCH_PATHS" => "$(inherited) \"$(PODS_CONFIGURATION_BUILD_DIR)/werun-rust\"",
    "OTHER_LDFLAGS" => "$(inherited) -lwerun"
  }

  # React Native's dependencies for a TurboModule (React-Core, ReactCommon,
  # codegen), as React Native's own library template declares them.
  install_modules_dependencies(s)
end
