# react-native-werun for iOS: the C++ TurboModule (cpp/), its module
# provider (ios/), and werun's Rust core as an xcframework.
# UNTESTED: nothing here has been built with Xcode or run on a device. See
# README.md, "Building the Rust core for iOS".
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
  # werun's Rust core for the device and the simulator, with werun.h.
  s.vendored_frameworks = "ios/werun.xcframework"
  # werun.h and js_api.h are in cpp/vendor, copied there when the package was
  # packed (bindings/common/vendor.mjs); the module includes them by path.
  s.pod_target_xcconfig = {
    "CLANG_CXX_LANGUAGE_STANDARD" => "c++20"
  }

  # React Native's dependencies for a TurboModule (React-Core, ReactCommon,
  # codegen), as React Native's own library template declares them.
  install_modules_dependencies(s)
end
