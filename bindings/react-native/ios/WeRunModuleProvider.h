// Hands React Native werun's C++ TurboModule for the name 'WeRun'. Codegen
// registers this class from package.json (codegenConfig.ios.modulesProvider).
// UNTESTED: not built with Xcode here.
#import <Foundation/Foundation.h>
#import <ReactCommon/RCTTurboModule.h>

NS_ASSUME_NONNULL_BEGIN

@interface WeRunModuleProvider : NSObject <RCTModuleProvider>
@end

NS_ASSUME_NONNULL_END
