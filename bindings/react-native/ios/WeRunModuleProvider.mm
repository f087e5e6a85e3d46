#import "WeRunModuleProvider.h"

#import <ReactCommon/CallInvoker.h>
#import <ReactCommon/TurboModule.h>

#import "WeRunTurboModule.h"

@implementation WeRunModuleProvider

// One module per React Native instance; it gets the instance's JS-thread
// CallInvoker and is freed when the instance goes away (a reload).
- (std::shared_ptr<facebook::react::TurboModule>)getTurboModule:
    (const facebook::react::ObjCTurboModule::InitParams &)params {
    return std::make_shared<facebook::react::WeRunTurboModule>(params.jsInvoker);
}

@end
