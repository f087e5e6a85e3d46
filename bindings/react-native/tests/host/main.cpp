// werun-rn-host: runs a JS test bundle against the real WeRunTurboModule on a
// real JSI runtime (React Native's JSCRuntime over JavaScriptCore), the way a
// bridgeless React Native app reaches it: TurboModuleBinding installs
// `nativeModuleProxy`, whose provider hands out the module with a CallInvoker
// that posts to this host's JS thread.
//
// Usage: werun-rn-host <bundle.js>
//
// The bundle runs in phases, one runtime each. It calls
// `__host.done({ passed, failed, reload?, inFlight? })` to end a phase:
// - without `reload`, the run ends;
// - with `reload: true`, the host tears the runtime down as a React Native
//   reload does, checks that the `inFlight` calls it left were all completed
//   by werun with CANCELLED and none reached JS, and starts the next phase in
//   a fresh runtime (`__host.phase` counts them).
//
// Teardown follows React Native's order: the TurboModuleManager lets go of
// the module first, then the runtime goes, and with it the module's JS
// object, whose finalizer frees the module. (No TurboModule may outlive its
// runtime: the base class holds a jsi::WeakObject to its JS object.)
//
// It prints each result line the bundle prints, and ends with
// "N passed, M failed"; it exits 0 only when M is 0.
#include <JSCRuntime.h>
#include <ReactCommon/TurboModuleBinding.h>
#include <jsi/jsi.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

#include "WeRunTurboModule.h"
#include "event_loop.h"
#ifdef WERUN_RN_BENCH
#include "bench_host.inc"
#endif

namespace jsi = facebook::jsi;
using facebook::react::TurboModule;
using facebook::react::WeRunTurboModule;
using namespace werun_test;

namespace {

// A backstop against a hang: the bundle's own tests time out long before.
constexpr std::chrono::seconds kPhaseWatchdog{600};

struct Totals {
    int passed = 0;
    int failed = 0;

    void check(bool ok, const std::string &what) {
        std::printf("%s - host: %s\n", ok ? "ok" : "not ok", what.c_str());
        std::fflush(stdout);
        (ok ? passed : failed) += 1;
    }
};

// What a phase asked for when it ended.
struct PhaseEnd {
    bool reload = false;
    uint64_t in_flight = 0;
};

using ProviderByName = std::function<std::shared_ptr<TurboModule>(const std::string &)>;
using ProviderWithRuntime = std::function<std::shared_ptr<TurboModule>(jsi::Runtime &, const std::string &)>;

// TurboModuleBinding::install takes a provider of (runtime, name) from React
// Native 0.80 (where the one of (name) is deprecated), and of (name) before.
template <typename Binding>
auto install_binding(jsi::Runtime &rt, ProviderByName provide, int)
    -> decltype(Binding::install(rt, ProviderWithRuntime{}), void()) {
    Binding::install(rt, ProviderWithRuntime([provide = std::move(provide)](jsi::Runtime &, const std::string &name) {
                         return provide(name);
                     }));
}
template <typename Binding>
void install_binding(jsi::Runtime &rt, ProviderByName provide, long) {
    Binding::install(rt, std::move(provide));
}

// A TypeError from the runtime's own constructor (jsi::JSError::createTypeError
// is only in React Native 0.80 and later).
jsi::JSError type_error(jsi::Runtime &rt, const std::string &message) {
    jsi::Function constructor = rt.global().getPropertyAsFunction(rt, "TypeError");
    return jsi::JSError(rt, constructor.callAsConstructor(rt, jsi::String::createFromUtf8(rt, message)));
}

jsi::Function host_function(jsi::Runtime &rt, const char *name, unsigned params, jsi::HostFunctionType body) {
    return jsi::Function::createFromHostFunction(rt, jsi::PropNameID::forAscii(rt, name), params, std::move(body));
}

// One runtime with its JS thread state. The JS thread is this process's main
// thread.
class Phase {
  public:
    Phase(int number, Totals &totals) : number_(number), totals_(totals) {}

    PhaseEnd run(const std::string &bundle) {
        queue_ = std::make_shared<TaskQueue>();
        auto invoker = std::make_shared<LoopCallInvoker>(queue_);
        runtime_ = facebook::jsc::makeJSCRuntime();
        jsi::Runtime &rt = *runtime_;
        install_globals(rt);
        // Bridgeless, as React Native runs by default: JS finds modules on
        // global.nativeModuleProxy. The provider keeps one instance, as
        // React Native's TurboModuleManager does.
        rt.global().setProperty(rt, "RN$Bridgeless", true);
        install_binding<facebook::react::TurboModuleBinding>(
            rt,
            [this, invoker](const std::string &name) -> std::shared_ptr<TurboModule> {
                if (name != WeRunTurboModule::kModuleName) return nullptr;
                if (!module_) module_ = std::make_shared<WeRunTurboModule>(invoker);
                return module_;
            },
            0);

        guarded(rt, [&] { rt.evaluateJavaScript(std::make_shared<jsi::StringBuffer>(bundle), "werun-rn-tests.js"); });
        loop(rt);
        return end_;
    }

    // Tears the runtime down as a React Native reload does. Timers and
    // immediates hold JS functions, so they go first, on this thread.
    void tear_down() {
        timers_.clear();
        immediates_.clear();
        module_.reset();
        runtime_.reset();   // finalizes the module's JS object and the binding
        queue_->discard();  // results posted before or meanwhile never run
    }

  private:
    void install_globals(jsi::Runtime &rt) {
        jsi::Object global = rt.global();
        global.setProperty(
            rt, "print",
            host_function(rt, "print", 1,
                          [](jsi::Runtime &rt, const jsi::Value &, const jsi::Value *args, size_t count) {
                              std::string line = count > 0 ? args[0].toString(rt).utf8(rt) : "";
                              std::printf("%s\n", line.c_str());
                              std::fflush(stdout);
                              return jsi::Value::undefined();
                          }));
        global.setProperty(
            rt, "setTimeout",
            host_function(rt, "setTimeout", 2,
                          [this](jsi::Runtime &rt, const jsi::Value &, const jsi::Value *args, size_t count) {
                              if (count == 0 || !args[0].isObject() || !args[0].getObject(rt).isFunction(rt)) {
                                  throw type_error(rt, "setTimeout(callback, ms): callback must be a function");
                              }
                              double ms = count > 1 && args[1].isNumber() ? args[1].getNumber() : 0;
                              auto delay = std::chrono::microseconds(static_cast<int64_t>((ms > 0 ? ms : 0) * 1000));
                              return jsi::Value(
                                  static_cast<double>(timers_.add(delay, args[0].getObject(rt).getFunction(rt))));
                          }));
        global.setProperty(
            rt, "clearTimeout",
            host_function(rt, "clearTimeout", 1,
                          [this](jsi::Runtime &, const jsi::Value &, const jsi::Value *args, size_t count) {
                              if (count > 0 && args[0].isNumber())
                                  timers_.cancel(static_cast<uint64_t>(args[0].getNumber()));
                              return jsi::Value::undefined();
                          }));
        // After the tasks already queued, like React Native's setImmediate.
        // The queued marker holds no JS value; the function waits here.
        global.setProperty(
            rt, "setImmediate",
            host_function(rt, "setImmediate", 1,
                          [this](jsi::Runtime &rt, const jsi::Value &, const jsi::Value *args, size_t count) {
                              if (count == 0 || !args[0].isObject() || !args[0].getObject(rt).isFunction(rt)) {
                                  throw type_error(rt, "setImmediate(callback): callback must be a function");
                              }
                              immediates_.push_back(args[0].getObject(rt).getFunction(rt));
                              queue_->post([this](jsi::Runtime &rt) {
                                  jsi::Function callback = std::move(immediates_.front());
                                  immediates_.pop_front();
                                  callback.call(rt);
                              });
                              return jsi::Value::undefined();
                          }));

        jsi::Object host(rt);
        host.setProperty(rt, "phase", number_);
        host.setProperty(
            rt, "done",
            host_function(
                rt, "done", 1, [this](jsi::Runtime &rt, const jsi::Value &, const jsi::Value *args, size_t count) {
                    if (count == 0 || !args[0].isObject())
                        throw jsi::JSError(rt, "__host.done(summary): summary must be an object");
                    jsi::Object summary = args[0].getObject(rt);
                    totals_.passed += static_cast<int>(summary.getProperty(rt, "passed").asNumber());
                    totals_.failed += static_cast<int>(summary.getProperty(rt, "failed").asNumber());
                    if (summary.getProperty(rt, "reload").isBool() && summary.getProperty(rt, "reload").getBool()) {
                        end_.reload = true;
                        end_.in_flight = static_cast<uint64_t>(summary.getProperty(rt, "inFlight").asNumber());
                    }
                    finished_ = true;
                    return jsi::Value::undefined();
                }));
        host.setProperty(
            rt, "callCounts",
            host_function(rt, "callCounts", 0, [](jsi::Runtime &rt, const jsi::Value &, const jsi::Value *, size_t) {
                auto counts = WeRunTurboModule::callCounts();
                jsi::Object result(rt);
                result.setProperty(rt, "inFlight", static_cast<double>(counts.in_flight));
                result.setProperty(rt, "cancelled", static_cast<double>(counts.cancelled));
                return result;
            }));
        global.setProperty(rt, "__host", host);
#ifdef WERUN_RN_BENCH
        global.setProperty(rt, "__bench", werun_bench::make_bench(rt, std::make_shared<LoopCallInvoker>(queue_)));
#endif
    }

    // Runs `body`; a JS error escaping it is an uncaught error, and fails the run.
    template <typename Body>
    void guarded(jsi::Runtime &rt, Body &&body) {
        try {
            body();
        } catch (const jsi::JSError &error) {
            totals_.check(false, "uncaught JS error: " + error.getMessage() + "\n" + error.getStack());
        } catch (const jsi::JSIException &error) {
            totals_.check(false, std::string("uncaught JSI error: ") + error.what());
        }
        rt.drainMicrotasks();
    }

    void loop(jsi::Runtime &rt) {
        Clock::time_point watchdog = Clock::now() + kPhaseWatchdog;
        while (!finished_) {
            if (Clock::now() > watchdog) {
                totals_.check(false, "phase " + std::to_string(number_) + " made no progress for " +
                                         std::to_string(kPhaseWatchdog.count()) + " s");
                std::exit(2);  // a hang: nothing can be torn down safely
            }
            if (auto timer = timers_.take_due()) {
                guarded(rt, [&] { timer->call(rt); });
                continue;
            }
            Clock::time_point wake = timers_.next_deadline(watchdog);
            if (auto task = queue_->take(wake)) {
                guarded(rt, [&] { (*task)(rt); });
            }
        }
    }

    int number_;
    Totals &totals_;
    std::shared_ptr<TaskQueue> queue_;
    std::unique_ptr<jsi::Runtime> runtime_;
    std::shared_ptr<TurboModule> module_;
    Timers timers_;
    std::deque<jsi::Function> immediates_;
    bool finished_ = false;
    PhaseEnd end_;
};

std::string read_file(const char *path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "werun-rn-host: cannot read %s\n", path);
        std::exit(2);
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

int main(int argc, char **argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: werun-rn-host <bundle.js>\n");
        return 2;
    }
    const std::string bundle = read_file(argv[1]);
    Totals totals;
    for (int number = 0;; ++number) {
        auto phase = std::make_unique<Phase>(number, totals);
        PhaseEnd end = phase->run(bundle);
        auto before = WeRunTurboModule::callCounts();
        if (end.reload) {
            totals.check(before.in_flight >= end.in_flight,
                         "phase " + std::to_string(number) + " left " + std::to_string(before.in_flight) +
                             " calls in flight (" + std::to_string(end.in_flight) + " expected)");
        }
        phase->tear_down();
        phase.reset();
        auto after = WeRunTurboModule::callCounts();
        totals.check(after.in_flight == 0, "teardown of phase " + std::to_string(number) + ": " +
                                               std::to_string(after.in_flight) + " calls still in flight");
        if (end.reload) {
            uint64_t cancelled = after.cancelled - before.cancelled;
            totals.check(cancelled == before.in_flight,
                         "teardown of phase " + std::to_string(number) + ": " + std::to_string(cancelled) + " of " +
                             std::to_string(before.in_flight) + " calls in flight completed with cancelled");
        }
        if (!end.reload) break;
    }
    std::printf("%d passed, %d failed\n", totals.passed, totals.failed);
    return totals.failed == 0 ? 0 : 1;
}
