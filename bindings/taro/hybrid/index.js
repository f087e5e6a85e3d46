/*
 * @werun/taro-plugin/hybrid: werun's JS API for a page running in ArkWeb
 * (Taro's harmony-hybrid builds), over the JavaScript proxy the app's ArkTS
 * page registers: a WeRunWebProxy from @werun/harmony, found as
 * `window.werunBridge` (see README.md).
 *
 *   import werun from '@werun/taro-plugin/hybrid';
 *   const { code } = await werun.login();
 *   const { encryptedData, iv } = await werun.getWeRunData();
 *
 * The calls behave as libwerun.so's do in ArkTS: the same results and errMsg
 * strings (the core makes them; the proxy carries them as JSON text),
 * success or fail, then complete, then the promise settles, all with one
 * result object; a failure rejects with that `{errMsg}` object, not an
 * Error. Callbacks never run before the call returns. A malformed option
 * throws the native modules' TypeError (bindings/common/js_api.h) and
 * starts nothing. What the module throws on the ArkTS side (a call before
 * configure) rejects the call's promise with a TypeError, since the page
 * learns of it only asynchronously.
 *
 * Without the proxy (a plain browser, an H5 build) every call fails with
 * `<api>:fail 暂时不支持 API <api>`, and getAuthorization, setAuthorization
 * and logout throw an Error with that message and `errMsg`.
 *
 * configure, setHostImplementation and the decrypt helpers do not exist
 * here: they stay in ArkTS, and the session key never reaches the page.
 */

/** The name WeRunWebProxy is registered under unless the app picks another. */
export const WERUN_PROXY_NAME = 'werunBridge';

const unsupported = (api) => `${api}:fail 暂时不支持 API ${api}`;

// The sentences of bindings/common/js_api.h.
const optionNotObject = (api) => `werun.${api}(option): option must be an object`;
const callbackNotFunction = (api, slot) => `werun.${api}(option): option.${slot} must be a function`;
const SET_AUTHORIZATION_BAD_STATE = "werun.setAuthorization(state): state must be 'granted', 'denied' or 'notDetermined'";
const SLOTS = ['success', 'fail', 'complete'];

const isNullish = (value) => value === undefined || value === null;

// As the native modules read an option: nothing, or an object whose
// callbacks are functions where present.
function readOption(api, option) {
  const callbacks = {};
  if (isNullish(option)) return callbacks;
  if (typeof option !== 'object') throw new TypeError(optionNotObject(api));
  for (const slot of SLOTS) {
    const callback = option[slot];
    if (isNullish(callback)) continue;
    if (typeof callback !== 'function') throw new TypeError(callbackNotFunction(api, slot));
    callbacks[slot] = callback;
  }
  return callbacks;
}

// A throwing callback is reported as uncaught, as the native modules report
// it, and the steps after it still run.
function run(callback, result) {
  if (callback === undefined) return;
  try {
    callback(result);
  } catch (error) {
    if (typeof globalThis.reportError === 'function') globalThis.reportError(error);
    else setTimeout(() => {
      throw error;
    });
  }
}

const errorFrom = ({ name, message }) => (name === 'TypeError' ? new TypeError(message) : Object.assign(new Error(message), { name }));

/**
 * werun's page-side API over the proxy named `proxyName` on `target`
 * (window). The proxy is looked up on every call, so it may be injected
 * after this module loads.
 */
export function createWeRun({ proxyName = WERUN_PROXY_NAME, target = globalThis } = {}) {
  const proxyMethod = (name) => {
    const proxy = target[proxyName];
    if (proxy === null || (typeof proxy !== 'object' && typeof proxy !== 'function')) return undefined;
    const method = proxy[name];
    return typeof method === 'function' ? method.bind(proxy) : undefined;
  };

  // The reply to one asynchronous call: { ok, res } or { ok: false, error }.
  const ask = async (api) => {
    const method = proxyMethod(api);
    if (method === undefined) return { ok: false, res: { errMsg: unsupported(api) } };
    let text;
    try {
      text = await method();
    } catch (error) {
      // The proxy itself failed (not the call, whose failures are replies).
      return { ok: false, res: { errMsg: `${api}:fail ${error?.message || String(error)}` } };
    }
    return JSON.parse(text);
  };

  const call = (api) => (option) => {
    const callbacks = readOption(api, option);
    return ask(api).then((reply) => {
      if (reply.stale) return new Promise(() => {}); // never for this page: see WeRunWebProxy.pageChanged
      if (reply.error) throw errorFrom(reply.error);
      const result = reply.res;
      run(reply.ok ? callbacks.success : callbacks.fail, result);
      run(callbacks.complete, result);
      if (reply.ok) return result;
      throw result;
    });
  };

  // The synchronous ones: ArkWeb returns a methodList method's value at once.
  const now = (api, arg) => {
    const method = proxyMethod(api);
    if (method === undefined) throw Object.assign(new Error(unsupported(api)), { errMsg: unsupported(api) });
    const reply = JSON.parse(arg === undefined ? method() : method(arg));
    if (!reply.ok) throw errorFrom(reply.error);
    return reply.res;
  };

  return {
    getWeRunData: call('getWeRunData'),
    login: call('login'),
    checkSession: call('checkSession'),
    getAuthorization: () => now('getAuthorization'),
    setAuthorization: (state) => {
      // The type check the native modules make; which strings are states is the core's rule.
      if (typeof state !== 'string') throw new TypeError(SET_AUTHORIZATION_BAD_STATE);
      now('setAuthorization', state);
    },
    logout: () => {
      now('logout');
    },
  };
}

const werun = createWeRun();

export const { getWeRunData, login, checkSession, getAuthorization, setAuthorization, logout } = werun;
export default werun;
