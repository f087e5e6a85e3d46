// Shared by the Node tests of werun's Node-API module (build/werun.node,
// built by build-addon.sh). The module keeps one werun context per env, so
// the tests of one file share it: each test starts with reset().
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';

export const werun = createRequire(import.meta.url)('../build/werun.node');

/** WeChat's sample appid. */
export const APPID = 'wx4f4bc4dec97d474b';
/** The session key the tests' login hooks hand to werun (base64 of 16 bytes). */
export const SESSION_KEY = Buffer.from('werun-test-key16').toString('base64');
export const DAY = 86_400;
/** WeChat's day boundary: 00:00 UTC+8, in seconds. */
export const UTC8 = 8 * 3600;

/** werun's defaults, restored by reset() so one test's settings never leak into the next. */
export const DEFAULT_SETTINGS = Object.freeze({ timeoutMs: 10_000, utcOffsetMinutes: 480, maxInFlight: 1024 });

/**
 * Puts this env's werun into a known state: default settings (overridden by
 * `settings`), `host` (or none), no session, `scope.werun` not determined.
 */
export function reset(host = null, settings = {}) {
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

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** Lets pending promise jobs, immediates and threadsafe-function deliveries run. */
export const turn = () => new Promise((resolve) => setImmediate(resolve));

export const nowSeconds = () => Math.floor(Date.now() / 1000);
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
 * Runs `run` while recording the process's `event` ('uncaughtException' or
 * 'unhandledRejection') instead of letting it through, and returns what was
 * recorded. node:test's harness listens for both and fails the running test
 * on one; its listeners are set aside meanwhile, as an app's own handler
 * would replace the default.
 */
export async function captureProcessEvent(event, run) {
  const harness = process.listeners(event);
  const caught = [];
  const record = (reason) => caught.push(reason);
  process.removeAllListeners(event);
  process.on(event, record);
  try {
    await run();
    // Unhandled rejections are reported once the microtask queue drains.
    await turn();
  } finally {
    process.off(event, record);
    for (const listener of harness) process.on(event, listener);
  }
  return caught;
}

/** WeChat's published open-data decryption, with node:crypto only: the plaintext. */
export function nodeDecrypt(sessionKey, encryptedData, iv) {
  const decipher = createDecipheriv('aes-128-cbc', Buffer.from(sessionKey, 'base64'), Buffer.from(iv, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(encryptedData, 'base64')), decipher.final()]).toString('utf8');
}

/** Seals `plaintext` as WeChat does, with node:crypto only: { encryptedData, iv }. */
export function nodeEncrypt(sessionKey, plaintext, iv = randomBytes(16)) {
  const cipher = createCipheriv('aes-128-cbc', Buffer.from(sessionKey, 'base64'), iv);
  const encrypted = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { encryptedData: encrypted.toString('base64'), iv: iv.toString('base64') };
}
