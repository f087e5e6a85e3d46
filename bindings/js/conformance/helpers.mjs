// Shared by the conformance suites: constants, host builders and call
// observers that need no engine but the JS language itself, plus reset(),
// which puts a werun module into a known state.

/** WeChat's sample appid. */
export const APPID = 'wx4f4bc4dec97d474b';
/** The session key the tests' login hooks hand to werun: base64 of the 16 bytes 'werun-test-key16'. */
export const SESSION_KEY = 'd2VydW4tdGVzdC1rZXkxNg==';
/** Another session key: base64 of 'another-key-16by'. */
export const SECOND_SESSION_KEY = 'YW5vdGhlci1rZXktMTZieQ==';
export const DAY = 86_400;
/** WeChat's day boundary: 00:00 UTC+8, in seconds. */
export const UTC8 = 8 * 3600;

/** werun's defaults, restored by reset() so one test's settings never leak into the next. */
export const DEFAULT_SETTINGS = Object.freeze({ timeoutMs: 10_000, utcOffsetMinutes: 480, maxInFlight: 1024 });

/**
 * Puts `werun` into a known state: default settings (overridden by
 * `settings`), `host` (or none), no session, `scope.werun` not determined.
 */
export function reset(werun, host = null, settings = {}) {
  werun.configure({ appid: APPID, ...DEFAULT_SETTINGS, ...settings });
  werun.setHostImplementation(host);
  werun.logout();
  werun.setAuthorization('notDetermined');
}

/**
 * A host whose hooks count their calls in `host.calls` and record the `this`
 * they were called with in `host.receivers`.
 */
export function countingHost(hooks) {
  const host = { calls: { login: 0, authorize: 0, getSteps: 0 }, receivers: [] };
  for (const [name, hook] of Object.entries(hooks)) {
    host[name] = function countedHook() {
      host.calls[name] += 1;
      host.receivers.push(this);
      return hook.call(this);
    };
  }
  return host;
}

/** A login hook answering `code` with `sessionKey`. */
export function loginAnswering({ code = 'code-1', sessionKey = SESSION_KEY, expiresIn } = {}) {
  const answer = expiresIn === undefined ? { code, sessionKey } : { code, sessionKey, expiresIn };
  return async () => answer;
}

/** A host that logs in with SESSION_KEY and answers getSteps with `samples`. */
export function stepsHost(samples = [{ timestamp: nowSeconds(), step: 1234 }], extraHooks = {}) {
  return countingHost({ login: loginAnswering(), getSteps: async () => samples, ...extraHooks });
}

/** A promise with its resolve and reject exposed. */
export function deferred() {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A promise that never settles: a host that never answers. */
export const never = () => new Promise(() => {});

/**
 * A host that answers its first login (`code`, SESSION_KEY) and then never
 * answers again: later logins and every getSteps wait forever, so calls stay
 * in flight. `onHook(name)` is told of each hook call left waiting.
 */
export function hangingHost({ code = 'code-1', onHook = () => {} } = {}) {
  let logins = 0;
  return {
    login: async () => {
      if (++logins === 1) return { code, sessionKey: SESSION_KEY };
      onHook('login');
      return never();
    },
    getSteps: () => {
      onHook('getSteps');
      return never();
    },
  };
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** Lets pending promise jobs, immediates and results already posted to the JS thread run. */
export const turn = () => new Promise((resolve) => setImmediate(resolve));

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A payload sealed as WeChat seals one (no steps, APPID's watermark), by `platform`'s own cipher. */
export const sealedPayload = (platform) =>
  platform.encrypt(SESSION_KEY, JSON.stringify({ stepInfoList: [], watermark: { timestamp: nowSeconds(), appid: APPID } }));
/** The number of the local day (days since the epoch at `offsetSeconds` from UTC) holding `timestamp`. */
export const localDay = (timestamp, offsetSeconds = UTC8) => Math.floor((timestamp + offsetSeconds) / DAY);
/** Unix seconds of the local midnight starting day number `day`. */
export const dayStart = (day, offsetSeconds = UTC8) => day * DAY - offsetSeconds;

/**
 * Calls `start(option)` with success, fail and complete callbacks that record
 * their order, and waits for the returned promise. Returns:
 * - order: e.g. ['success', 'complete', 'resolved'];
 * - values: what each step received, in the same order;
 * - ranBeforeReturn: how many callbacks ran before `start` returned;
 * - settled: 'resolved' or 'rejected', and value: what the promise settled with.
 */
export async function observe(start) {
  const order = [];
  const values = [];
  const record = (name) => (value) => {
    order.push(name);
    values.push(value);
  };
  const promise = start({ success: record('success'), fail: record('fail'), complete: record('complete') });
  const ranBeforeReturn = order.length;
  const [settled, value] = await promise.then(
    (result) => ['resolved', result],
    (result) => ['rejected', result],
  );
  order.push(settled);
  values.push(value);
  return { order, values, ranBeforeReturn, settled, value };
}

/** The errMsg a call's promise rejected with; throws if it resolved. */
export async function failure(promise) {
  const result = await promise.then(
    (value) => {
      throw new Error(`expected the call to fail, it succeeded with ${JSON.stringify(value)}`);
    },
    (value) => value,
  );
  if (result === null || typeof result !== 'object' || typeof result.errMsg !== 'string') {
    throw new Error(`expected a rejection with { errMsg }, got ${String(result)}`);
  }
  return result.errMsg;
}

/**
 * What each function does on a werun module that was never configured:
 * { function: 'ok' or { name, message } of what it threw }. Run on a fresh
 * module instance (a new worker env, a reloaded React Native runtime).
 */
export function unconfiguredOutcomes(werun, vectors) {
  const official = vectors.cases.find((vector) => vector.name === 'wxbizdatacrypt-official-sample');
  const weRun = vectors.cases.find((vector) => vector.name === 'werun-normal-0');
  const argsOf = (vector) => [vector.session_key, vector.encrypted_data, vector.iv, vector.appid];
  const attempts = {
    setHostImplementation: () => werun.setHostImplementation(null),
    getWeRunData: () => werun.getWeRunData(),
    login: () => werun.login(),
    checkSession: () => werun.checkSession(),
    getAuthorization: () => werun.getAuthorization(),
    setAuthorization: () => werun.setAuthorization('granted'),
    logout: () => werun.logout(),
    decryptOpenData: () => werun.decryptOpenData(...argsOf(official)),
    decryptWeRunData: () => werun.decryptWeRunData(...argsOf(weRun)),
  };
  const seen = {};
  for (const [name, attempt] of Object.entries(attempts)) {
    try {
      attempt();
      seen[name] = 'ok';
    } catch (error) {
      seen[name] = { name: error.name, message: error.message };
    }
  }
  return seen;
}

/**
 * unconfiguredOutcomes before and after a first configure the core refuses
 * (timeoutMs 0), and what that configure threw: { before, refused, afterRefusedConfigure }.
 */
export function unconfiguredReport(werun, vectors) {
  const before = unconfiguredOutcomes(werun, vectors);
  let refused;
  try {
    werun.configure({ appid: APPID, timeoutMs: 0 });
  } catch (error) {
    refused = { name: error.name, code: error.code };
  }
  return { before, refused, afterRefusedConfigure: unconfiguredOutcomes(werun, vectors) };
}

/** Asserts what unconfiguredReport gave, with `assert` from ./assert.mjs. */
export function checkUnconfiguredReport(assert, { before, refused, afterRefusedConfigure }) {
  const { decryptOpenData, decryptWeRunData, ...needConfigure } = before;
  assert.deepEqual([decryptOpenData, decryptWeRunData], ['ok', 'ok']);
  assert.deepEqual(Object.keys(needConfigure).sort(), [
    'checkSession',
    'getAuthorization',
    'getWeRunData',
    'login',
    'logout',
    'setAuthorization',
    'setHostImplementation',
  ]);
  for (const [name, outcome] of Object.entries(needConfigure)) {
    assert.equal(outcome.name, 'TypeError', name);
    assert.match(outcome.message, /configure/, name);
  }
  assert.deepEqual(refused, { name: 'Error', code: 'WERUN_ERR_INVALID_ARGUMENT' });
  assert.deepEqual(afterRefusedConfigure, before, 'a refused first configure leaves werun unconfigured');
}
