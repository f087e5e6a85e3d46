// werun's React Native module: a cross-platform C++ TurboModule over werun's
// C ABI, giving JS getWeRunData, login and checkSession with the same API and
// results as the HarmonyOS module.
//
// It only marshals values and hops threads. Every rule (errMsg strings, login,
// scope.werun authorization, timeouts, sealing) is the Rust core's; what the
// two JS bindings share beyond the core (reading arguments, the order a
// result is delivered in, calling a host's hooks and reading their answers)
// is in bindings/common/js_api.h, over this module's JsiValues adapter
// (copied into vendor/ with werun.h when the package is packed).
//
// Threading: every method runs on the JS thread. werun may finish a call, or
// call a host hook, on any thread; the result or hook call is copied into
// plain C++ values and posted to the JS thread through the CallInvoker. JS
// values are created, used and released only on the JS thread: those a call
// or host holds live in the runtime's LongLivedObjectCollection, which React
// Native clears on the JS thread when it tears the runtime down.
//
// Lifetime: one werun context per module instance, created by configure and
// freed with the module. On a reload, React Native lets go of the module,
// then tears the runtime down, which finalizes the module's JS object and so
// frees the module. Calls still in flight then complete with `cancelled`; a
// result whose JS side is gone is dropped without touching the runtime.
#pragma once

#include <ReactCommon/TurboModule.h>
#include <jsi/jsi.h>

#include <cstdint>
#include <memory>
#include <string_view>

#include "vendor/js_api.h"

namespace facebook::react {

// One runtime's JS values that its calls and host share (WeRunTurboModule.cpp).
class WeRunJsState;

class WeRunTurboModule : public TurboModule {
  public:
    // The name JS asks for: TurboModuleRegistry.getEnforcing('WeRun').
    static constexpr std::string_view kModuleName = "WeRun";

    explicit WeRunTurboModule(std::shared_ptr<CallInvoker> jsInvoker);
    // Frees the werun context: calls in flight fail with CANCELLED and the
    // host is released. This class's members hold no JS value; the
    // TurboModule base's jsi::WeakObject does, so, like any TurboModule, it
    // must not outlive its runtime.
    ~WeRunTurboModule() override;

    // Process-wide counts of calls started through any instance: in flight
    // (started, not yet completed by the core) and completed with
    // WERUN_ERR_CANCELLED. For diagnostics and the teardown tests.
    struct CallCounts {
        uint64_t in_flight;
        uint64_t cancelled;
    };
    static CallCounts callCounts();

  private:
    using Method = jsi::Value (WeRunTurboModule::*)(jsi::Runtime &, const jsi::Value *, size_t);
    template <Method method>
    static jsi::Value invoke(jsi::Runtime &rt, TurboModule &module, const jsi::Value *args, size_t count);

    jsi::Value configure(jsi::Runtime &rt, const jsi::Value *args, size_t count);
    jsi::Value setHostImplementation(jsi::Runtime &rt, const jsi::Value *args, size_t count);
    jsi::Value getWeRunData(jsi::Runtime &rt, const jsi::Value *args, size_t count);
    jsi::Value login(jsi::Runtime &rt, const jsi::Value *args, size_t count);
    jsi::Value checkSession(jsi::Runtime &rt, const jsi::Value *args, size_t count);
    jsi::Value getAuthorization(jsi::Runtime &rt, const jsi::Value *args, size_t count);
    jsi::Value setAuthorization(jsi::Runtime &rt, const jsi::Value *args, size_t count);
    jsi::Value logout(jsi::Runtime &rt, const jsi::Value *args, size_t count);
    jsi::Value decryptOpenData(jsi::Runtime &rt, const jsi::Value *args, size_t count);
    jsi::Value decryptWeRunData(jsi::Runtime &rt, const jsi::Value *args, size_t count);

    // The runtime's state, made by the first call or host.
    std::shared_ptr<WeRunJsState> jsState(jsi::Runtime &rt);
    jsi::Value startCall(jsi::Runtime &rt, const jsi::Value *args, size_t count, werun::js::Api api);
    // The configured context, or throws the TypeError that names `function`.
    werun_context *configuredContext(jsi::Runtime &rt, const char *function) const;

    werun::js::ConfiguredContext context_;
    // Held weakly: the runtime's LongLivedObjectCollection owns it.
    std::weak_ptr<WeRunJsState> js_state_;
};

}  // namespace facebook::react
