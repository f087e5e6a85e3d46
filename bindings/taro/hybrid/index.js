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
 * Error. Callbacks never run before the call returns. The arguments are
 * judged by the module, not here: the page sends the proxy a description of
 * the option (or state), the ArkTS side passes the module an equivalent one,
 * and what the module throws (a malformed option, a bad state, a call before
 * configure: the TypeErrors of bindings/common/js_api.h) is thrown here
 * synchronously, as the native call throws it, and starts nothing. The
 * page holds no rule and no sentence of its own; it carries arguments,
 * results and errors, and runs the callbacks in werun's order.
 *
 * Without the proxy (a plain browser, an H5 build) every call fails with
 * `<api>:fail 暂时不支持 API <api>`, and getAuthorization, setAuthorization
 * and logout throw an Error with that message and `errMsg`; with no module
 * to ask, the option is not judged then, and its callbacks that are
 * functions run.
 *
 * configure, setHostImplementation and the decrypt helpers do not exist
 * here: they stay in ArkTS, and the session key never reaches the page.
 */

/** The name WeRunWebProxy is registered under unless the app picks another. */
export const WERUN_PROXY_NAME = 'werunBridge';

// The one errMsg the page writes itself: with no proxy at all (a plain
// browser, an H5 build) there is no core to ask, so the page answers as
// Taro's H5 build does for an API it lacks. Every other errMsg, and every
// TypeError sentence, is the module's, carried over the proxy.
const unsupported = (api) => `${api}:fail 暂时不支持 API ${api}`;

const SLOTS = ['success', 'fail', 'complete'];

// One argument as the shell rebuilds it for the module (WeRunWebProxy's
// ValueDescription): what the module judges it by, never the judgement.
function describe(value) {
  if (value === undefined) return { kind: 'undefined' };
  if (value === null) return { kind: 'null' };
  if (typeof value === 'string') return { kind: 'string', text: value };
  if (typeof value === 'function' || typeof value === 'object') return { kind: typeof value };
  return { kind: 'other' };
}

// A call's option, read once: its description for the module (an
// OptionDescription), and the callbacks the page runs. Whether the option
// is acceptable is the module's to say, when the shell passes it on.
function readOption(option) {
  const description = { option: describe(option) };
  const callbacks = {};
  if (option !== null && typeof option === 'object') {
    for (const slot of SLOTS) {
      const callback = option[slot];
      description[slot] = describe(callback);
      if (typeof callback === 'function') callbacks[slot] = callback;
    }
  }
  return { description: JSON.stringify(description), callbacks };
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

  // The proxy itself failed (not the call, whose failures are replies):
  // the call fails with the proxy's own message.
  const proxyFailure = (api, error) => ({ ok: false, res: { errMsg: `${api}:fail ${error?.message || String(error)}` } });

  // The reply to a started call, once the module settles it.
  const ask = async (api, call) => {
    let text;
    try {
      text = await proxyMethod('result')(call);
    } catch (error) {
      return proxyFailure(api, error);
    }
    return JSON.parse(text);
  };

  const call = (api) => (option) => {
    const { description, callbacks } = readOption(option);
    const start = proxyMethod(api);
    let started;
    if (start === undefined) {
      started = Promise.resolve({ ok: false, res: { errMsg: unsupported(api) } });
    } else {
      // Answered at once (a methodList method returning a plain value): the
      // module has judged the option, and what it threw (a malformed option,
      // a call before configure) is thrown here, synchronously, as the
      // native call throws it. Nothing was started then.
      let reply;
      try {
        reply = JSON.parse(start(description));
      } catch (error) {
        reply = proxyFailure(api, error);
      }
      if (reply.error) throw errorFrom(reply.error);
      started = reply.ok ? ask(api, reply.call) : Promise.resolve(reply);
    }
    return started.then((reply) => {
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
    // The module judges the state (type and value) and throws its TypeError.
    setAuthorization: (state) => {
      now('setAuthorization', JSON.stringify(describe(state)));
    },
    logout: () => {
      now('logout');
    },
  };
}

const werun = createWeRun();

export const { getWeRunData, login, checkSession, getAuthorization, setAuthorization, logout } = werun;
export default werun;
