// configure's rules, timeouts, a thousand concurrent calls, and user
// callbacks that throw.
import { assert } from './assert.mjs';
import {
  APPID,
  DAY,
  SESSION_KEY,
  UTC8,
  countingHost,
  deferred,
  failure,
  loginAnswering,
  never,
  nowSeconds,
  observe,
  reset as resetModule,
  sleep,
  stepsHost,
  turn,
} from './helpers.mjs';

export default function lifecycleSuite({ werun, platform, describe, test, beforeEach }) {
  const reset = (host, settings) => resetModule(werun, host, settings);
  beforeEach(() => reset());

  describe('configure', () => {
    test('a missing appid or a wrong type throws a TypeError', () => {
      const wrong = [
        [],
        [null],
        ['wx4f4bc4dec97d474b'],
        [{}],
        [{ appid: 42 }],
        [{ appid: APPID, timeoutMs: '5000' }],
        [{ appid: APPID, timeoutMs: 1.5 }],
        [{ appid: APPID, timeoutMs: -1 }],
        [{ appid: APPID, utcOffsetMinutes: NaN }],
        [{ appid: APPID, maxInFlight: true }],
      ];
      for (const args of wrong) {
        assert.throws(() => werun.configure(...args), TypeError, JSON.stringify(args));
      }
    });

    test("a value the core refuses throws an Error with code WERUN_ERR_INVALID_ARGUMENT and the core's sentence", () => {
      const refused = [{ timeoutMs: 0 }, { utcOffsetMinutes: 900 }, { utcOffsetMinutes: -721 }, { maxInFlight: 0 }];
      for (const setting of refused) {
        assert.throws(
          () => werun.configure({ appid: APPID, ...setting }),
          (error) => {
            assert.ok(!(error instanceof TypeError), 'not a TypeError');
            assert.equal(error.code, 'WERUN_ERR_INVALID_ARGUMENT');
            assert.match(error.message, /\S{3}/);
            return true;
          },
          JSON.stringify(setting),
        );
      }
    });

    test('a refused configure changes no setting, not even the valid ones it named', async () => {
      const steps = deferred();
      const host = stepsHost(undefined, { getSteps: () => steps.promise });
      reset(host, { maxInFlight: 1 });
      await werun.login();
      // Each names valid settings beside the refused one, in every order.
      const cases = [
        [{ utcOffsetMinutes: 0, maxInFlight: 0 }, /max in flight/, /UTC offset|timeout/],
        [{ timeoutMs: 5, maxInFlight: 2, utcOffsetMinutes: 9999 }, /UTC offset.*9999/, /timeout|max in flight/],
        [{ timeoutMs: 0, utcOffsetMinutes: 0, maxInFlight: 2 }, /timeout/, /UTC offset|max in flight/],
      ];
      for (const [settings, named, notNamed] of cases) {
        assert.throws(
          () => werun.configure({ appid: APPID, ...settings }),
          (error) => {
            assert.equal(error.code, 'WERUN_ERR_INVALID_ARGUMENT');
            assert.match(error.message, named, 'names the refused option');
            assert.ok(!notNamed.test(error.message), `names only the refused option: ${error.message}`);
            return true;
          },
          JSON.stringify(settings),
        );
      }
      // Every setting is as reset() left it: maxInFlight 1, the default
      // timeout and utcOffsetMinutes.
      const waiting = werun.getWeRunData();
      assert.equal(await failure(werun.getWeRunData()), 'getWeRunData:fail busy', 'maxInFlight is still 1');
      await sleep(20); // past the 5 ms timeout a partial configure would have set
      steps.resolve([{ timestamp: nowSeconds(), step: 1 }]);
      const res = await waiting;
      assert.equal(res.errMsg, 'getWeRunData:ok', 'the timeout is not 5 ms');
      const { stepInfoList } = werun.decryptWeRunData(SESSION_KEY, res.encryptedData, res.iv, APPID);
      assert.ok(
        stepInfoList.every(({ timestamp }) => (timestamp + UTC8) % DAY === 0),
        'the days still start at 00:00 UTC+8',
      );
    });

    test('the appid cannot change once set', async () => {
      assert.throws(() => werun.configure({ appid: 'wx0000000000000000' }), {
        name: 'Error',
        code: 'WERUN_ERR_INVALID_ARGUMENT',
        message: /appid/,
      });
      werun.setHostImplementation(stepsHost());
      await werun.login();
      const res = await werun.getWeRunData();
      assert.equal(werun.decryptWeRunData(SESSION_KEY, res.encryptedData, res.iv, APPID).watermark.appid, APPID);
    });

    test('a later configure changes only what it names and keeps the session and the host', async () => {
      const host = stepsHost();
      werun.setHostImplementation(host);
      await werun.login();
      werun.configure({ appid: APPID, timeoutMs: 5000 });
      werun.configure({ appid: APPID, utcOffsetMinutes: 0 });
      assert.equal((await werun.checkSession()).errMsg, 'checkSession:ok');
      const res = await werun.getWeRunData();
      assert.equal(host.calls.getSteps, 1);
      const { stepInfoList } = werun.decryptWeRunData(SESSION_KEY, res.encryptedData, res.iv, APPID);
      assert.ok(stepInfoList.every(({ timestamp }) => timestamp % 86_400 === 0), 'days start at UTC midnight now');
    });
  });
  describe('timeouts', () => {
    // A timeout applies to requests sent after it is set, so each case sets
    // the short one only for the request that must time out: the others
    // then succeed however slowly the runtime runs (valgrind, a loaded CI).
    const shortTimeout = () => werun.configure({ appid: APPID, timeoutMs: 30 });
    const longTimeout = () => werun.configure({ appid: APPID, timeoutMs: 10_000 });

    test('a host that never settles fails login and getWeRunData with timeout', async () => {
      reset(countingHost({ login: never }));
      shortTimeout();
      const login = await observe(werun.login);
      assert.deepEqual(login.order, ['fail', 'complete', 'rejected']);
      assert.equal(login.value.errMsg, 'login:fail timeout');

      werun.setHostImplementation(stepsHost(undefined, { getSteps: never }));
      longTimeout();
      await werun.login();
      shortTimeout();
      const calls = await Promise.all([observe(werun.getWeRunData), observe(werun.getWeRunData)]);
      for (const call of calls) {
        assert.deepEqual(call.order, ['fail', 'complete', 'rejected']);
        assert.equal(call.value.errMsg, 'getWeRunData:fail timeout');
      }
    });

    test('an authorize request that times out leaves scope.werun notDetermined', async () => {
      reset(stepsHost(undefined, { authorize: never }));
      await werun.login();
      shortTimeout();
      assert.equal(await failure(werun.getWeRunData()), 'getWeRunData:fail timeout');
      assert.equal(werun.getAuthorization(), 'notDetermined');
    });

    test('an answer after the timeout is ignored and the next call is answered afresh', async () => {
      const late = deferred();
      let answers = 0;
      const host = stepsHost(undefined, {
        getSteps: () => (++answers === 1 ? late.promise : [{ timestamp: nowSeconds(), step: 2 }]),
      });
      reset(host);
      let completions = 0;
      await werun.login();
      shortTimeout();
      assert.equal(await failure(werun.getWeRunData({ complete: () => completions++ })), 'getWeRunData:fail timeout');
      late.resolve([{ timestamp: nowSeconds(), step: 1 }]);
      await turn();
      await turn();
      assert.equal(completions, 1);
      longTimeout();
      const res = await werun.getWeRunData();
      assert.equal(werun.decryptWeRunData(SESSION_KEY, res.encryptedData, res.iv, APPID).stepInfoList.at(-1).step, 2);
      assert.equal(host.calls.getSteps, 2);
    });
  });
  describe('many calls', () => {
    test('1000 concurrent getWeRunData calls all resolve from one getSteps request', async () => {
      const host = stepsHost([{ timestamp: nowSeconds(), step: 1000 }]);
      werun.setHostImplementation(host);
      await werun.login();
      let completions = 0;
      const calls = Array.from({ length: 1000 }, () => werun.getWeRunData({ complete: () => completions++ }));
      const results = await Promise.all(calls);
      assert.equal(host.calls.getSteps, 1);
      assert.equal(completions, 1000);
      assert.ok(results.every((res) => res.errMsg === 'getWeRunData:ok'));
      assert.equal(new Set(results.map((res) => res.iv)).size, 1000, 'each call is sealed with a fresh iv');
      for (const res of results) {
        const { stepInfoList } = werun.decryptWeRunData(SESSION_KEY, res.encryptedData, res.iv, APPID);
        assert.equal(stepInfoList.length, 31);
        assert.equal(stepInfoList.at(-1).step, 1000);
      }
    });

    test('1000 concurrent calls of all three kinds settle, each exactly once', async () => {
      werun.setHostImplementation(countingHost({ login: loginAnswering(), getSteps: async () => [] }));
      await werun.login();
      const apis = ['getWeRunData', 'login', 'checkSession'];
      let completions = 0;
      const calls = Array.from({ length: 1000 }, (_, i) => werun[apis[i % 3]]({ complete: () => completions++ }));
      const settled = await Promise.allSettled(calls);
      assert.equal(completions, 1000);
      assert.ok(settled.every(({ status, value }) => status === 'fulfilled' && value.errMsg.endsWith(':ok')));
    });
  });
  describe('user callbacks that throw', () => {
    const captureUncaught = (run) => platform.captureUncaught(run);

    test('a throwing success is reported as uncaught; complete still runs and the promise resolves', async () => {
      werun.setHostImplementation(stepsHost());
      const thrown = new Error('success handler bug');
      const order = [];
      const caught = await captureUncaught(async () => {
        const res = await werun.login({
          success: () => {
            order.push('success');
            throw thrown;
          },
          complete: () => order.push('complete'),
        });
        order.push(`resolved ${res.errMsg}`);
      });
      assert.deepEqual(order, ['success', 'complete', 'resolved login:ok']);
      assert.deepEqual(caught, [thrown]);
    });

    test('a throwing fail is reported as uncaught; complete still runs and the promise rejects', async () => {
      const thrown = new TypeError('fail handler bug');
      const order = [];
      const caught = await captureUncaught(async () => {
        const errMsg = await failure(
          werun.getWeRunData({
            fail: () => {
              order.push('fail');
              throw thrown;
            },
            complete: () => order.push('complete'),
          }),
        );
        order.push(`rejected ${errMsg}`);
      });
      assert.deepEqual(order, ['fail', 'complete', 'rejected getWeRunData:fail 暂时不支持 API getWeRunData']);
      assert.deepEqual(caught, [thrown]);
    });

    test('success and complete both throwing are both reported, and the promise still settles', async () => {
      werun.setHostImplementation(stepsHost());
      await werun.login();
      const first = new Error('first');
      const second = new Error('second');
      const caught = await captureUncaught(async () => {
        const res = await werun.checkSession({
          success: () => {
            throw first;
          },
          complete: () => {
            throw second;
          },
        });
        assert.equal(res.errMsg, 'checkSession:ok');
      });
      assert.deepEqual(caught, [first, second]);
    });

    test('a throw of a non-Error value is reported as it was thrown', async () => {
      const caught = await captureUncaught(async () => {
        await failure(
          werun.checkSession({
            complete: () => {
              throw 'plain string'; // eslint-disable-line no-throw-literal
            },
          }),
        );
      });
      assert.deepEqual(caught, ['plain string']);
    });
  });
}
