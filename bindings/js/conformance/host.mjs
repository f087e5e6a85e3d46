// A host implementation written in JS: its two getSteps answer modes, hooks
// that reject or throw, and answers of the wrong shape. The binding checks
// only types; every failure must reach the caller as `<api>:fail <message>`
// naming the problem, never a crash or a hang.
import { assert } from './assert.mjs';
import {
  APPID,
  SECOND_SESSION_KEY,
  SESSION_KEY,
  failure,
  loginAnswering,
  nowSeconds,
  reset as resetModule,
  sealedPayload as sealedPayloadWith,
  stepsHost,
  turn,
} from './helpers.mjs';

export default function hostSuite({ werun, platform, describe, test, beforeEach }) {
  const reset = (host, settings) => resetModule(werun, host, settings);
  beforeEach(() => reset());

  /** Installs `host`, logs in through its login hook (or a default one), and returns the getWeRunData promise. */
  async function getWeRunDataWith(host) {
    werun.setHostImplementation({ login: loginAnswering(), ...host });
    await werun.login();
    return werun.getWeRunData();
  }

  const sealedPayload = () => sealedPayloadWith(platform);

  describe('getSteps answer modes', () => {
    test('raw samples are summed, sealed under the session key and delivered without cloudID', async () => {
      const now = nowSeconds();
      const res = await getWeRunDataWith({ getSteps: async () => [{ timestamp: now, step: 4321 }] });
      assert.equal(res.errMsg, 'getWeRunData:ok');
      assert.ok(!('cloudID' in res));
      assert.equal(platform.base64ByteLength(res.iv), 16);
      const data = JSON.parse(platform.decrypt(SESSION_KEY, res.encryptedData, res.iv));
      assert.equal(data.stepInfoList.length, 31);
      assert.equal(data.stepInfoList.at(-1).step, 4321);
      assert.equal(data.watermark.appid, APPID);
    });

    test('an already sealed answer with cloudID is passed through unchanged', async () => {
      const sealed = { ...sealedPayload(), cloudID: 'cloud-id-123' };
      const res = await getWeRunDataWith({ getSteps: async () => sealed });
      assert.deepEqual(res, { errMsg: 'getWeRunData:ok', ...sealed });
    });

    test('an already sealed answer without cloudID gives a result without cloudID', async () => {
      const sealed = sealedPayload();
      const res = await getWeRunDataWith({ getSteps: async () => ({ ...sealed, cloudID: undefined }) });
      assert.deepEqual(res, { errMsg: 'getWeRunData:ok', ...sealed });
    });

    test('a sealed answer needs no session key: the data was sealed elsewhere', async () => {
      const sealed = sealedPayload();
      werun.setHostImplementation({ login: async () => ({ code: 'no-key' }), getSteps: async () => sealed });
      await werun.login();
      assert.deepEqual(await werun.getWeRunData(), { errMsg: 'getWeRunData:ok', ...sealed });
    });

    test('raw samples need a session key: without one the call fails and says so', async () => {
      werun.setHostImplementation({ login: async () => ({ code: 'no-key' }), getSteps: async () => [] });
      await werun.login();
      assert.match(await failure(werun.getWeRunData()), /^getWeRunData:fail invalid host data: .*session key/i);
    });

    test('a sealed answer of the wrong shape is refused by the core', async () => {
      const { encryptedData } = sealedPayload();
      const errMsg = await failure(getWeRunDataWith({ getSteps: async () => ({ encryptedData, iv: 'c2hvcnQ=' }) }));
      assert.match(errMsg, /^getWeRunData:fail invalid host data: /);
    });

    test('a new login replaces the session key the next data is sealed under', async () => {
      const secondKey = SECOND_SESSION_KEY;
      let logins = 0;
      werun.setHostImplementation({
        login: async () => ({ code: `code-${++logins}`, sessionKey: logins === 1 ? SESSION_KEY : secondKey }),
        getSteps: async () => [{ timestamp: nowSeconds(), step: 7 }],
      });
      await werun.login();
      await werun.login();
      const res = await werun.getWeRunData();
      assert.equal(werun.decryptWeRunData(secondKey, res.encryptedData, res.iv, APPID).stepInfoList.at(-1).step, 7);
      assert.throws(() => werun.decryptWeRunData(SESSION_KEY, res.encryptedData, res.iv, APPID), {
        code: /^WERUN_ERR_(DECRYPT|INVALID_DATA|WATERMARK)$/,
      });
    });
  });

  describe('hook calls', () => {
    test('each hook is called with this set to the host object', async () => {
      const host = stepsHost(undefined, { authorize: async () => true });
      werun.setHostImplementation(host);
      await werun.login();
      await werun.getWeRunData();
      assert.deepEqual(host.calls, { login: 1, authorize: 1, getSteps: 1 });
      assert.ok(host.receivers.every((receiver) => receiver === host));
    });

    test('a hook may return a plain value or a thenable instead of a promise', async () => {
      const samples = [{ timestamp: nowSeconds(), step: 3 }];
      werun.setHostImplementation({
        login: () => ({ code: 'plain', sessionKey: SESSION_KEY }),
        authorize: () => ({ then: (resolve) => resolve(true) }),
        getSteps: () => samples,
      });
      assert.deepEqual(await werun.login(), { errMsg: 'login:ok', code: 'plain' });
      assert.equal((await werun.getWeRunData()).errMsg, 'getWeRunData:ok');
    });

    test('setHostImplementation refuses a host that is not an object, or a hook that is not a function', () => {
      for (const host of [42, 'host', true]) {
        assert.throws(() => werun.setHostImplementation(host), TypeError, String(host));
      }
      for (const name of ['login', 'authorize', 'getSteps']) {
        assert.throws(() => werun.setHostImplementation({ [name]: 'not a function' }), {
          name: 'TypeError',
          message: new RegExp(name),
        });
      }
    });

    test('a hook whose promise is settled after the host was replaced answers its request', async () => {
      let answer;
      werun.setHostImplementation({
        login: loginAnswering(),
        getSteps: () => new Promise((resolve) => (answer = resolve)),
      });
      await werun.login();
      const pending = werun.getWeRunData();
      while (answer === undefined) await turn();
      werun.setHostImplementation(stepsHost());
      answer([{ timestamp: nowSeconds(), step: 11 }]);
      const res = await pending;
      assert.equal(werun.decryptWeRunData(SESSION_KEY, res.encryptedData, res.iv, APPID).stepInfoList.at(-1).step, 11);
    });
  });

  describe('hooks that reject or throw', () => {
    const rejecting = (error) => async () => Promise.reject(error);
    const throwing = (error) => () => {
      throw error;
    };
    // [what the hook does, the hooks, the errMsg]
    const cases = [
      ['getSteps rejects with an Error', { getSteps: rejecting(new Error('sensor busy')) }, 'sensor busy'],
      ['getSteps throws synchronously', { getSteps: throwing(new Error('permission revoked')) }, 'permission revoked'],
      ['getSteps rejects with a string', { getSteps: rejecting('no data today') }, 'no data today'],
      ['getSteps rejects with an empty message', { getSteps: rejecting(new Error('')) }, 'host error'],
      // Over the core's 4096-byte limit: failed at once, not left to time out.
      ['getSteps rejects with a 5000-byte message', { getSteps: rejecting(new Error('x'.repeat(5000))) }, 'host error'],
      ['authorize rejects', { authorize: rejecting(new Error('dialog dismissed')) }, 'dialog dismissed'],
      ['authorize throws synchronously', { authorize: throwing(new TypeError('no window')) }, 'no window'],
    ];
    for (const [name, hooks, message] of cases) {
      test(`${name}: the call fails with its message`, async () => {
        const errMsg = await failure(getWeRunDataWith({ getSteps: async () => [], ...hooks }));
        assert.equal(errMsg, `getWeRunData:fail ${message}`);
      });
    }

    test('login rejecting or throwing fails login with its message', async () => {
      werun.setHostImplementation({ login: rejecting(new Error('network down')) });
      assert.equal(await failure(werun.login()), 'login:fail network down');
      werun.setHostImplementation({ login: throwing(new Error('no account')) });
      assert.equal(await failure(werun.login()), 'login:fail no account');
      assert.equal(await failure(werun.checkSession()), 'checkSession:fail session expired');
    });

    test('a failed getSteps does not end the session or the host', async () => {
      let attempts = 0;
      const errMsg = await failure(
        getWeRunDataWith({
          getSteps: async () => {
            if (++attempts === 1) throw new Error('try again');
            return [];
          },
        }),
      );
      assert.equal(errMsg, 'getWeRunData:fail try again');
      assert.equal((await werun.getWeRunData()).errMsg, 'getWeRunData:ok');
    });
  });

  describe('answers of the wrong shape', () => {
    const now = nowSeconds();
    // [what is wrong, the samples getSteps resolves, what the errMsg must name]
    const badSamples = [
      ['a NaN step', [{ timestamp: now, step: NaN }], /sample 0.*step/],
      ['a missing step', [{ timestamp: now }], /sample 0.*step/],
      ['a missing timestamp', [{ step: 10 }], /sample 0.*timestamp/],
      ['a string timestamp', [{ timestamp: String(now), step: 10 }], /sample 0.*timestamp/],
      ['a non-integer step', [{ timestamp: now, step: 1.5 }], /sample 0.*step/],
      ['an infinite timestamp', [{ timestamp: Infinity, step: 1 }], /sample 0.*timestamp/],
      ['a step as a BigInt', [{ timestamp: now, step: 10n }], /sample 0.*step/],
      ['a bad second sample', [{ timestamp: now, step: 1 }, { timestamp: now, step: '2' }], /sample 1.*step/],
      ['a null sample', [null], /element 0/],
      ['a number as a sample', [{ timestamp: now, step: 1 }, 5], /element 1/],
    ];
    for (const [wrong, samples, names] of badSamples) {
      const bigInt = samples.some((sample) => typeof sample?.step === 'bigint');
      const skip = bigInt && platform.bigIntUnreadable;
      test(`getSteps resolving ${wrong} fails getWeRunData naming it`, { skip }, async () => {
        const errMsg = await failure(getWeRunDataWith({ getSteps: async () => samples }));
        // One wording for every refused answer, whether its shape (the
        // binding) or its values (the core) were wrong.
        assert.match(errMsg, /^getWeRunData:fail invalid host data: /);
        assert.match(errMsg, names);
      });
    }

    const { encryptedData, iv } = platform.encrypt(SESSION_KEY, '{}');
    const badAnswers = [
      ['null', null, /getSteps\(\) must resolve/],
      ['undefined', undefined, /getSteps\(\) must resolve/],
      ['a number', 42, /getSteps\(\) must resolve/],
      ['a string', 'steps', /getSteps\(\) must resolve/],
      ['an object without encryptedData', { iv }, /encryptedData/],
      ['a sealed answer without iv', { encryptedData }, /\biv\b/],
      ['a sealed answer with a numeric iv', { encryptedData, iv: 16 }, /\biv\b/],
      ['a sealed answer with a numeric cloudID', { encryptedData, iv, cloudID: 7 }, /cloudID/],
    ];
    for (const [wrong, answer, names] of badAnswers) {
      test(`getSteps resolving ${wrong} fails getWeRunData naming the problem`, async () => {
        const errMsg = await failure(getWeRunDataWith({ getSteps: async () => answer }));
        assert.match(errMsg, /^getWeRunData:fail invalid host data: /);
        assert.match(errMsg, names);
      });
    }

    const badLogins = [
      ['undefined', undefined, /login\(\) must resolve/],
      ['a string', 'code-1', /login\(\) must resolve/],
      ['a numeric code', { code: 1234, sessionKey: SESSION_KEY }, /code/],
      ['no code', { sessionKey: SESSION_KEY }, /code/],
      ['a numeric sessionKey', { code: 'c', sessionKey: 16 }, /sessionKey/],
      ['a negative expiresIn', { code: 'c', expiresIn: -1 }, /expiresIn/],
      ['a fractional expiresIn', { code: 'c', expiresIn: 1.5 }, /expiresIn/],
      ['a string expiresIn', { code: 'c', expiresIn: '7200' }, /expiresIn/],
      ['a code holding a NUL', { code: 'co\0de' }, /NUL/],
    ];
    for (const [wrong, answer, names] of badLogins) {
      test(`login resolving ${wrong} fails login naming the problem`, async () => {
        werun.setHostImplementation({ login: async () => answer });
        const errMsg = await failure(werun.login());
        assert.match(errMsg, /^login:fail invalid host data: /);
        assert.match(errMsg, names);
        assert.equal(await failure(werun.checkSession()), 'checkSession:fail session expired');
      });
    }

    for (const [wrong, answer] of [['a string', 'yes'], ['a number', 1], ['undefined', undefined], ['an object', {}]]) {
      test(`authorize resolving ${wrong} fails getWeRunData asking for a boolean`, async () => {
        const errMsg = await failure(getWeRunDataWith({ authorize: async () => answer, getSteps: async () => [] }));
        assert.match(errMsg, /^getWeRunData:fail .*boolean/);
      });
    }

    test('value rules come from the core: negative steps and timestamps, implausible totals', async () => {
      const negativeStep = await failure(getWeRunDataWith({ getSteps: async () => [{ timestamp: now, step: -1 }] }));
      assert.match(negativeStep, /^getWeRunData:fail invalid host data: .*-1/);
      werun.setHostImplementation(stepsHost([{ timestamp: -86400, step: 1 }]));
      assert.match(await failure(werun.getWeRunData()), /^getWeRunData:fail invalid host data: .*-86400/);
      werun.setHostImplementation(stepsHost([{ timestamp: now, step: 600_000 }, { timestamp: now, step: 600_000 }]));
      assert.match(await failure(werun.getWeRunData()), /^getWeRunData:fail invalid host data: /);
    });

    test('an answer whose getter throws fails the call, and the error does not escape', async () => {
      const throwing = (name) => ({
        get() {
          throw new Error(`${name} getter failed`);
        },
      });
      const sample = Object.defineProperties({ timestamp: nowSeconds() }, { step: throwing('step') });
      const sealed = Object.defineProperties({ encryptedData: 'AAAAAAAAAAAAAAAAAAAAAA==' }, { iv: throwing('iv') });
      const login = Object.defineProperties({}, { code: throwing('code') });
      const expiring = Object.defineProperties({ code: 'c' }, { expiresIn: throwing('expiresIn') });
      const calls = async () => {
        assert.match(await failure(getWeRunDataWith({ getSteps: async () => [sample] })), /^getWeRunData:fail /);
        werun.setHostImplementation(stepsHost(undefined, { getSteps: async () => sealed }));
        assert.match(await failure(werun.getWeRunData()), /^getWeRunData:fail /);
        werun.setHostImplementation({ login: async () => login });
        assert.match(await failure(werun.login()), /^login:fail /);
        // Not read as absent (a session that never expires): refused.
        werun.setHostImplementation({ login: async () => expiring });
        assert.match(await failure(werun.login()), /^login:fail .*expiresIn/);
      };
      // Where the engine reports unhandled rejections (Node), none may come
      // from the binding's handlers.
      if (platform.captureUnhandledRejections) {
        const unhandled = await platform.captureUnhandledRejections(calls);
        assert.deepEqual(unhandled.map(String), []);
      } else {
        await calls();
      }
    });

    test('an answer that throws on every read (a Proxy) fails the call naming the hook, never hangs it', async () => {
      const hostile = (target) =>
        new Proxy(target, {
          get(_, key) {
            // `then` is read when the hook's promise resolves; refusing it
            // would make this a rejection, which other cases cover.
            if (key === 'then') return undefined;
            throw new Error(`read of ${String(key)} refused`);
          },
          has() {
            throw new Error('has refused');
          },
        });
      const refused = (api, hook) => new RegExp(`^${api}:fail invalid host data: ${hook}\\(\\)`);
      assert.match(await failure(getWeRunDataWith({ getSteps: async () => hostile([]) })), refused('getWeRunData', 'getSteps'));
      werun.setHostImplementation(stepsHost(undefined, { getSteps: async () => hostile({}) }));
      assert.match(await failure(werun.getWeRunData()), refused('getWeRunData', 'getSteps'));
      werun.setHostImplementation({ login: async () => hostile({}) });
      assert.match(await failure(werun.login()), refused('login', 'login'));
    });

    test('a wrong answer does not break the next one', async () => {
      let answers = 0;
      const errMsg = await failure(
        getWeRunDataWith({ getSteps: async () => (++answers === 1 ? [{ timestamp: 'soon', step: 1 }] : []) }),
      );
      assert.match(errMsg, /timestamp/);
      assert.equal((await werun.getWeRunData()).errMsg, 'getWeRunData:ok');
    });
  });
}
