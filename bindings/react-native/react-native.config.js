// Autolinking of werun's pure C++ TurboModule (React Native 0.76 and later;
// see README.md, "Android" and "iOS"). UNTESTED: no app has been built with
// this package here.
//
// Android: with no build.gradle, the React Native CLI treats the package as
// a pure C++ dependency. The app's build adds android/CMakeLists.txt as a
// subdirectory, links the target named below into its appmodules library,
// and its generated autolinking.cpp includes <WeRunTurboModule.h> and returns
// facebook::react::WeRunTurboModule for WeRunTurboModule::kModuleName ('WeRun').
//
// iOS: CocoaPods builds react-native-werun.podspec; codegen registers
// ios/WeRunModuleProvider for 'WeRun' (package.json, codegenConfig.ios).
module.exports = {
  dependency: {
    platforms: {
      android: {
        sourceDir: 'android',
        cxxModuleCMakeListsModuleName: 'react-native-werun',
        cxxModuleCMakeListsPath: 'CMakeLists.txt',
        cxxModuleHeaderName: 'WeRunTurboModule',
      },
      ios: {},
    },
  },
};
