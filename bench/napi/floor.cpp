// The floor of a Node-API binding's round trip: a call that returns a promise
// and resolves it through a threadsafe function, as werun's module does for
// a result the core delivers at once, but doing nothing else. bench/compare.mjs
// times werun's getWeRunData against roundTrip().
#include <node_api.h>

namespace {

void resolve(napi_env env, napi_value, void *, void *data) {
    auto deferred = static_cast<napi_deferred>(data);
    if (env == nullptr) return;
    napi_value undefined = nullptr;
    napi_get_undefined(env, &undefined);
    napi_resolve_deferred(env, deferred, undefined);
}

napi_value round_trip(napi_env env, napi_callback_info) {
    napi_value promise = nullptr, name = nullptr;
    napi_deferred deferred = nullptr;
    napi_threadsafe_function tsfn = nullptr;
    napi_create_promise(env, &deferred, &promise);
    napi_create_string_utf8(env, "floor", NAPI_AUTO_LENGTH, &name);
    napi_create_threadsafe_function(env, nullptr, nullptr, name, 0, 1, nullptr, nullptr, nullptr, resolve, &tsfn);
    napi_call_threadsafe_function(tsfn, deferred, napi_tsfn_nonblocking);
    napi_release_threadsafe_function(tsfn, napi_tsfn_release);
    return promise;
}

napi_value init(napi_env env, napi_value exports) {
    napi_value function = nullptr;
    napi_create_function(env, "roundTrip", NAPI_AUTO_LENGTH, round_trip, nullptr, &function);
    napi_set_named_property(env, exports, "roundTrip", function);
    return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
