// getWeRunData, login and checkSession as a Taro caller sees them: every
// errMsg row of werun's table reached through JS, WeChat's callback and
// promise order, the unsupported path, scope.werun and BUSY.
import { assert } from './assert.mjs';
import {
  APPID,
  countingHost,
  deferred,
  failure,
  loginAnswering,
  never,
  observe,
  reset as resetModule,
  sleep,
  stepsHost,
  turn,
} from './helpers.mjs';

export default function callsSuite({ werun, platform, describe, test, beforeEach }) {
  const reset = (host, settings) => resetModule(werun, host, settings);
  beforeEach(() => reset());

  const APIS = ['getWeRunData', 'login', 'checkSession'];

  describe('callback and promise order', () => {
    test('success runs success, then complete, then resolves, all with one result object', async () => {
      werun.setHostImplementation(stepsHost());
      const login = await observe(werun.login);
      assert.deepEqual(login.order, ['success', 'complete', 'resolved']);
      assert.deepEqual(login.value, { errMsg: 'login:ok', code: 'code-1' });
      assert.ok(login.values.every((value) => value === login.value));

      const check = await observe(werun.checkSession);
      assert.deepEqual(check.order, ['success', 'complete', 'resolved']);
      assert.deepEqual(check.value, { errMsg: 'checkSession:ok' });

      const data = await observe(werun.getWeRunData);
      assert.deepEqual(data.order, ['success', 'complete', 'resolved']);
      assert.deepEqual(Object.keys(data.value).sort(), ['encryptedData', 'errMsg', 'iv']);
      assert.equal(data.value.errMsg, 'getWeRunData:ok');
      assert.ok(data.values.every((value) => value === data.value));
    });

    test('failure runs fail, then complete, then rejects with the same { errMsg } object', async () => {
      for (const api of APIS) {
        const call = await observe(werun[api]);
        assert.deepEqual(call.order, ['fail', 'complete', 'rejected'], api);
        assert.ok(call.values.every((value) => value === call.value), api);
        assert.deepEqual(Object.keys(call.value), ['errMsg'], api);
        assert.ok(!(call.value instanceof Error), `${api} rejects with a plain result, not an Error`);
      }
    });

    test('the promise rejects even when a fail callback was given', async () => {
      let failed = 0;
      await assert.rejects(werun.checkSession({ fail: () => failed++ }), { errMsg: 'checkSession:fail session expired' });
      assert.equal(failed, 1);
    });

    test('a failure left uncaught is reported once, with its result; a caught one is not reported', async () => {
      // The call's own promise is the one that rejects, whatever the binding
      // settles it with: no rejection of the binding's making may be
      // reported, and the caller's may not be swallowed.
      const completed = [];
      const calls = async () => {
        await new Promise((resolve) => {
          // Left uncaught on purpose.
          werun.checkSession({ complete: (res) => resolve(completed.push(res)) });
        });
        await assert.rejects(werun.checkSession(), { errMsg: 'checkSession:fail session expired' });
        await failure(werun.getWeRunData());
      };
      // Where the engine reports unhandled rejections (Node).
      if (platform.captureUnhandledRejections) {
        const unhandled = await platform.captureUnhandledRejections(calls);
        assert.equal(unhandled.length, 1);
        assert.equal(unhandled[0], completed[0]);
        assert.deepEqual(unhandled[0], { errMsg: 'checkSession:fail session expired' });
      } else {
        await calls();
      }
    });

    test('callbacks never run before the call returns, even for results known at once', async () => {
      werun.setHostImplementation(stepsHost());
      for (const api of APIS) {
        const call = await observe(werun[api]);
        assert.equal(call.ranBeforeReturn, 0, api);
      }
      werun.setHostImplementation(null);
      const unsupported = await observe(werun.getWeRunData);
      assert.equal(unsupported.value.errMsg, 'getWeRunData:fail 暂时不支持 API getWeRunData');
      assert.equal(unsupported.ranBeforeReturn, 0);
    });

    test('each callback is optional, and no option at all just settles the promise', async () => {
      werun.setHostImplementation(stepsHost());
      assert.deepEqual(await werun.login(), { errMsg: 'login:ok', code: 'code-1' });
      assert.deepEqual(await werun.checkSession(undefined), { errMsg: 'checkSession:ok' });
      assert.deepEqual(await werun.checkSession(null), { errMsg: 'checkSession:ok' });
      const completed = [];
      await werun.checkSession({ complete: (res) => completed.push(res), success: undefined, fail: null });
      assert.deepEqual(completed, [{ errMsg: 'checkSession:ok' }]);
    });

    test('a malformed option throws a TypeError and starts no call', async () => {
      const host = stepsHost();
      werun.setHostImplementation(host);
      // Logged in, so a getWeRunData that started would reach getSteps.
      await werun.login();
      for (const api of APIS) {
        assert.throws(() => werun[api]('success'), TypeError, api);
        assert.throws(() => werun[api](42), TypeError, api);
        assert.throws(() => werun[api]({ success: 'not a function' }), { name: 'TypeError', message: /success/ }, api);
        assert.throws(() => werun[api]({ fail: {} }), { name: 'TypeError', message: /fail/ }, api);
        assert.throws(() => werun[api]({ complete: 1 }), { name: 'TypeError', message: /complete/ }, api);
      }
      await turn();
      assert.deepEqual(host.calls, { login: 1, authorize: 0, getSteps: 0 }, 'only the first login reached the host');
    });

    test('a burst of 1100 calls, then more calls: each settles once, with its own result', async () => {
      // More calls at once than either module keeps room for when idle
      // (js_api.h's SlotTable::kSlotsKeptIdle), so the room made for the
      // burst is given back after it, and used again.
      werun.setHostImplementation(stepsHost());
      assert.equal((await werun.login()).errMsg, 'login:ok');
      for (let burst = 0; burst < 2; burst++) {
        let completions = 0;
        const option = { complete: () => completions++ };
        const results = await Promise.all(
          Array.from({ length: 1100 }, (_, i) => (i % 11 ? werun.checkSession(option) : werun.getWeRunData(option))),
        );
        assert.equal(completions, 1100);
        results.forEach((res, i) => assert.equal(res.errMsg, i % 11 ? 'checkSession:ok' : 'getWeRunData:ok'));
        assert.equal(new Set(results.filter((res) => res.iv).map((res) => res.iv)).size, 100);
        assert.deepEqual(
          (await Promise.all([werun.checkSession(), werun.getWeRunData(), werun.login()])).map((res) => res.errMsg),
          ['checkSession:ok', 'getWeRunData:ok', 'login:ok'],
        );
      }
    });
  });

  describe('errMsg table', () => {
    test('ok: <api>:ok for each api', async () => {
      werun.setHostImplementation(stepsHost());
      assert.equal((await werun.login()).errMsg, 'login:ok');
      assert.equal((await werun.checkSession()).errMsg, 'checkSession:ok');
      assert.equal((await werun.getWeRunData()).errMsg, 'getWeRunData:ok');
    });

    test('unsupported: with no host, getWeRunData and login fail with Taro Harmony wording', async () => {
      assert.equal(await failure(werun.getWeRunData()), 'getWeRunData:fail 暂时不支持 API getWeRunData');
      assert.equal(await failure(werun.login()), 'login:fail 暂时不支持 API login');
    });

    test('unsupported: a host without a login hook makes login unsupported', async () => {
      werun.setHostImplementation(countingHost({ getSteps: async () => [] }));
      assert.equal(await failure(werun.login()), 'login:fail 暂时不支持 API login');
    });

    test('unsupported: a host without getSteps makes getWeRunData unsupported, even when logged in', async () => {
      const host = countingHost({ login: loginAnswering(), authorize: async () => true });
      werun.setHostImplementation(host);
      await werun.login();
      assert.equal(await failure(werun.getWeRunData()), 'getWeRunData:fail 暂时不支持 API getWeRunData');
      assert.equal(host.calls.authorize, 0);
    });

    test('unsupported: setHostImplementation(null) clears the host', async () => {
      werun.setHostImplementation(stepsHost());
      await werun.login();
      werun.setHostImplementation(null);
      assert.equal(await failure(werun.getWeRunData()), 'getWeRunData:fail 暂时不支持 API getWeRunData');
      assert.equal(await failure(werun.login()), 'login:fail 暂时不支持 API login');
      assert.equal((await werun.checkSession()).errMsg, 'checkSession:ok', 'the session outlives the host');
    });

    test('need login: getWeRunData without a session fails and never calls getSteps', async () => {
      const host = stepsHost();
      werun.setHostImplementation(host);
      assert.equal(await failure(werun.getWeRunData()), 'getWeRunData:fail need login');
      await werun.login();
      werun.logout();
      assert.equal(await failure(werun.getWeRunData()), 'getWeRunData:fail need login');
      assert.equal(host.calls.getSteps, 0);
    });

    test('session expired: checkSession before login, after logout, and after expiresIn', async () => {
      assert.equal(await failure(werun.checkSession()), 'checkSession:fail session expired');
      werun.setHostImplementation(countingHost({ login: loginAnswering({ expiresIn: 2 }), getSteps: async () => [] }));
      await werun.login();
      assert.equal((await werun.checkSession()).errMsg, 'checkSession:ok');
      await sleep(2100);
      assert.equal(await failure(werun.checkSession()), 'checkSession:fail session expired');
      assert.equal(await failure(werun.getWeRunData()), 'getWeRunData:fail need login');
      await werun.login();
      werun.logout();
      assert.equal(await failure(werun.checkSession()), 'checkSession:fail session expired');
    });

    test('auth deny: authorize resolving false fails getWeRunData', async () => {
      const host = stepsHost(undefined, { authorize: async () => false });
      werun.setHostImplementation(host);
      await werun.login();
      assert.equal(await failure(werun.getWeRunData()), 'getWeRunData:fail auth deny');
      assert.equal(host.calls.getSteps, 0);
    });

    test('timeout: <api>:fail timeout when the host does not answer in time', async () => {
      // Short only for the requests that must time out (see lifecycle.mjs).
      werun.configure({ appid: APPID, timeoutMs: 50 });
      werun.setHostImplementation(countingHost({ login: never }));
      assert.equal(await failure(werun.login()), 'login:fail timeout');
      werun.setHostImplementation(stepsHost(undefined, { getSteps: never }));
      werun.configure({ appid: APPID, timeoutMs: 10_000 });
      await werun.login();
      werun.configure({ appid: APPID, timeoutMs: 50 });
      assert.equal(await failure(werun.getWeRunData()), 'getWeRunData:fail timeout');
    });

    test("host: <api>:fail <message> from the host's error, 'host error' for an empty one", async () => {
      werun.setHostImplementation(
        countingHost({ login: async () => Promise.reject(new Error('account service offline')) }),
      );
      assert.equal(await failure(werun.login()), 'login:fail account service offline');
      werun.setHostImplementation(
        stepsHost(undefined, { getSteps: async () => Promise.reject(new Error('Health Service Kit unavailable')) }),
      );
      await werun.login();
      assert.equal(await failure(werun.getWeRunData()), 'getWeRunData:fail Health Service Kit unavailable');
      werun.setHostImplementation(stepsHost(undefined, { getSteps: async () => Promise.reject(new Error('')) }));
      assert.equal(await failure(werun.getWeRunData()), 'getWeRunData:fail host error');
    });

    test('invalid host data: a value the core refuses fails with its detail', async () => {
      werun.setHostImplementation(stepsHost([{ timestamp: 1_700_000_000, step: -5 }]));
      await werun.login();
      assert.match(await failure(werun.getWeRunData()), /^getWeRunData:fail invalid host data: .*-5/);
      werun.setHostImplementation(countingHost({ login: loginAnswering({ sessionKey: 'dG9vIHNob3J0' }) }));
      assert.match(await failure(werun.login()), /^login:fail invalid host data: \S/);
    });

    test('busy: past maxInFlight calls waiting on the host, new calls fail busy in WeChat order', async () => {
      const steps = deferred();
      const host = stepsHost(undefined, { getSteps: () => steps.promise });
      reset(host, { maxInFlight: 1 });
      await werun.login();
      const waiting = werun.getWeRunData();

      const busy = await observe(werun.getWeRunData);
      assert.deepEqual(busy.order, ['fail', 'complete', 'rejected']);
      assert.deepEqual(busy.value, { errMsg: 'getWeRunData:fail busy' });
      assert.equal(busy.ranBeforeReturn, 0);
      assert.equal(await failure(werun.login()), 'login:fail busy');
      assert.equal((await werun.checkSession()).errMsg, 'checkSession:ok', 'checkSession never waits on the host');

      steps.resolve([{ timestamp: 1_700_000_000, step: 1 }]);
      assert.equal((await waiting).errMsg, 'getWeRunData:ok');
      assert.equal(host.calls.getSteps, 1);
      assert.equal((await werun.getWeRunData()).errMsg, 'getWeRunData:ok', 'a slot is free again');
    });
  });

  describe('scope.werun authorization', () => {
    test('starts notDetermined; without an authorize hook the first getWeRunData grants it', async () => {
      assert.equal(werun.getAuthorization(), 'notDetermined');
      werun.setHostImplementation(stepsHost());
      await werun.login();
      assert.equal(werun.getAuthorization(), 'notDetermined', 'login does not touch it');
      await werun.getWeRunData();
      assert.equal(werun.getAuthorization(), 'granted');
    });

    test('authorize resolving true grants it once; later calls do not ask again', async () => {
      const host = stepsHost(undefined, { authorize: async () => true });
      werun.setHostImplementation(host);
      await werun.login();
      await werun.getWeRunData();
      await werun.getWeRunData();
      assert.equal(werun.getAuthorization(), 'granted');
      assert.equal(host.calls.authorize, 1);
      assert.equal(host.calls.getSteps, 2);
    });

    test('a refusal is remembered: later calls fail at once without asking the host', async () => {
      const host = stepsHost(undefined, { authorize: async () => false });
      werun.setHostImplementation(host);
      await werun.login();
      assert.equal(await failure(werun.getWeRunData()), 'getWeRunData:fail auth deny');
      assert.equal(werun.getAuthorization(), 'denied');
      assert.equal(await failure(werun.getWeRunData()), 'getWeRunData:fail auth deny');
      assert.deepEqual(host.calls, { login: 1, authorize: 1, getSteps: 0 });
    });

    test('concurrent calls share one authorize request', async () => {
      const answer = deferred();
      const host = stepsHost(undefined, { authorize: () => answer.promise });
      werun.setHostImplementation(host);
      await werun.login();
      const calls = [werun.getWeRunData(), werun.getWeRunData(), werun.getWeRunData()];
      await turn();
      answer.resolve(true);
      const results = await Promise.all(calls);
      assert.ok(results.every((res) => res.errMsg === 'getWeRunData:ok'));
      assert.equal(host.calls.authorize, 1);
      assert.equal(host.calls.getSteps, 1);
    });

    test('setAuthorization sets the state without asking the host', async () => {
      const host = stepsHost(undefined, { authorize: async () => true });
      werun.setHostImplementation(host);
      await werun.login();
      werun.setAuthorization('denied');
      assert.equal(werun.getAuthorization(), 'denied');
      assert.equal(await failure(werun.getWeRunData()), 'getWeRunData:fail auth deny');
      werun.setAuthorization('granted');
      assert.equal((await werun.getWeRunData()).errMsg, 'getWeRunData:ok');
      assert.equal(host.calls.authorize, 0);
      werun.setAuthorization('notDetermined');
      await werun.getWeRunData();
      assert.equal(host.calls.authorize, 1, 'notDetermined asks again');
    });

    test('setAuthorization refuses anything but the three states', () => {
      for (const state of ['GRANTED', 'allowed', '', 1, null, undefined]) {
        assert.throws(() => werun.setAuthorization(state), TypeError, String(state));
      }
      assert.throws(() => werun.setAuthorization(), TypeError);
      assert.equal(werun.getAuthorization(), 'notDetermined');
    });
  });

  describe('single flight', () => {
    test('concurrent getWeRunData calls share one getSteps request, each with a fresh iv', async () => {
      const host = stepsHost();
      werun.setHostImplementation(host);
      await werun.login();
      const results = await Promise.all([werun.getWeRunData(), werun.getWeRunData(), werun.getWeRunData()]);
      assert.equal(host.calls.getSteps, 1);
      assert.equal(new Set(results.map((res) => res.iv)).size, 3);
      assert.equal(new Set(results.map((res) => res.encryptedData)).size, 3);
    });

    test('calls made one after another each ask the host again', async () => {
      const host = stepsHost();
      werun.setHostImplementation(host);
      await werun.login();
      await werun.getWeRunData();
      await werun.getWeRunData();
      assert.equal(host.calls.getSteps, 2);
    });

    test('every login is forwarded to the host, concurrent ones included', async () => {
      let issued = 0;
      const host = countingHost({ login: async () => ({ code: `code-${++issued}` }) });
      werun.setHostImplementation(host);
      const codes = (await Promise.all([werun.login(), werun.login()])).map((res) => res.code);
      assert.deepEqual(codes.sort(), ['code-1', 'code-2']);
      assert.equal(host.calls.login, 2);
    });
  });
}
