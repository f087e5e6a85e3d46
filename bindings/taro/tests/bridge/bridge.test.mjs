// The hybrid bridge in a real browser: a Taro-hybrid-style page in headless
// Chromium (standing in for ArkWeb) calls werun through its page module
// (bindings/taro/hybrid), and the calls are answered by the real Node-API
// module through the ArkTS shell's own code, WeRunWebProxy.ets, run by Node
// (standing in for the app's ArkTS). See harness.mjs for every stand-in.
//
// The cases are the shared conformance suite's (bindings/js/conformance)
// that make sense through a page: results that decrypt to the host's steps,
// callback and promise order, errMsg strings, TypeErrors, timeouts, a host
// that never answers, a reload with calls in flight, and the session key,
// which must appear in nothing the page receives. configure,
// setHostImplementation and the decrypt helpers stay on the ArkTS side, so
// their cases are not here (the harmony tests run them on the module).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, beforeEach, describe, test } from 'node:test';

import {
  APPID,
  SECOND_SESSION_KEY,
  SESSION_KEY,
  WERUN_PROXY_METHODS,
  countingHost,
  deferred,
  loginAnswering,
  moduleThrows,
  never,
  nowSeconds,
  openBrowser,
  platform,
  sealedPayload,
  reset,
  sleep,
  stepsHost,
  traffic,
  werun,
} from './harness.mjs';

const APIS = ['getWeRunData', 'login', 'checkSession'];
const unsupported = (api) => `${api}:fail 暂时不支持 API ${api}`;

let browser;
let page;
before(async () => {
  browser = await openBrowser();
  page = browser.page;
});
after(async () => {
  await browser?.close();
});
beforeEach(() => reset());

const observeCall = (via, api, throwIn) => page.evaluate(([v, a, t]) => window.observeCall(v, a, t), [via, api, throwIn]);
const attempt = (via, api, ...args) => page.evaluate(([v, a, rest]) => window.attempt(v, a, ...rest), [via, api, args]);
const failure = async (via, api) => {
  const outcome = await attempt(via, api);
  assert.ok('rejected' in outcome, `${api} should fail, got ${JSON.stringify(outcome)}`);
  return outcome.rejected.errMsg;
};

describe('the Taro hybrid page', () => {
  test("install put werun's three calls on the real hybrid Taro's default export, which has none of its own", async () => {
    werun.setHostImplementation(stepsHost());
    for (const api of APIS) {
      const outcome = await attempt('Taro', api);
      assert.ok(!('threw' in outcome), `${api}: ${JSON.stringify(outcome)}`);
      const { errMsg } = outcome.resolved ?? outcome.rejected;
      assert.match(errMsg, new RegExp(`^${api}:(ok|fail )`), api);
    }
  });

  test('Taro.login() then Taro.getWeRunData() gives data that decrypts to the host steps, for the configured appid', async () => {
    const now = nowSeconds();
    werun.setHostImplementation(stepsHost([{ timestamp: now, step: 4321 }, { timestamp: now, step: 79 }]));
    assert.deepEqual(await attempt('Taro', 'login'), { resolved: { errMsg: 'login:ok', code: 'code-1' } });
    const { resolved: res } = await attempt('Taro', 'getWeRunData');
    assert.deepEqual(Object.keys(res).sort(), ['encryptedData', 'errMsg', 'iv']);
    assert.equal(res.errMsg, 'getWeRunData:ok');
    assert.equal(platform.base64ByteLength(res.iv), 16);
    // An independent decrypt (node:crypto), as a backend does it.
    const data = JSON.parse(platform.decrypt(SESSION_KEY, res.encryptedData, res.iv));
    assert.equal(data.stepInfoList.length, 31);
    assert.equal(data.stepInfoList.at(-1).step, 4400);
    assert.equal(data.watermark.appid, APPID);
  });

  test('an already sealed answer with cloudID reaches the page unchanged', async () => {
    const sealed = { ...sealedPayload(platform), cloudID: 'cloud-id-123' };
    werun.setHostImplementation(stepsHost(undefined, { getSteps: async () => sealed }));
    await attempt('werun', 'login');
    assert.deepEqual(await attempt('werun', 'getWeRunData'), { resolved: { errMsg: 'getWeRunData:ok', ...sealed } });
  });
});

describe('callback and promise order', () => {
  for (const via of ['werun', 'Taro']) {
    test(`${via}: success runs success, then complete, then resolves, all with one result object`, async () => {
      werun.setHostImplementation(stepsHost());
      const login = await observeCall(via, 'login');
      assert.deepEqual(login.order, ['success', 'complete', 'resolved']);
      assert.deepEqual(login.value, { errMsg: 'login:ok', code: 'code-1' });
      assert.ok(login.same);
      assert.equal(login.ranBeforeReturn, 0);
      const check = await observeCall(via, 'checkSession');
      assert.deepEqual(check.order, ['success', 'complete', 'resolved']);
      assert.deepEqual(check.value, { errMsg: 'checkSession:ok' });
      const data = await observeCall(via, 'getWeRunData');
      assert.deepEqual(data.order, ['success', 'complete', 'resolved']);
      assert.equal(data.value.errMsg, 'getWeRunData:ok');
      assert.ok(data.same);
      assert.equal(data.ranBeforeReturn, 0);
    });

    test(`${via}: failure runs fail, then complete, then rejects with the same { errMsg } object, not an Error`, async () => {
      for (const api of APIS) {
        const call = await observeCall(via, api);
        assert.deepEqual(call.order, ['fail', 'complete', 'rejected'], api);
        assert.ok(call.same, api);
        assert.deepEqual(call.keys, ['errMsg'], api);
        assert.equal(call.isError, false, api);
        assert.equal(call.ranBeforeReturn, 0, api);
      }
    });
  }

  test('the promise rejects even when a fail callback was given', async () => {
    const outcome = await page.evaluate(async () => {
      let failed = 0;
      const value = await window.createWeRun().checkSession({ fail: () => failed++ }).then(
        () => 'resolved',
        (res) => res,
      );
      return { failed, value };
    });
    assert.deepEqual(outcome, { failed: 1, value: { errMsg: 'checkSession:fail session expired' } });
  });

  test('each callback is optional; undefined and null options just settle the promise', async () => {
    werun.setHostImplementation(stepsHost());
    assert.deepEqual(await attempt('werun', 'login'), { resolved: { errMsg: 'login:ok', code: 'code-1' } });
    assert.deepEqual(await attempt('werun', 'checkSession', null), { resolved: { errMsg: 'checkSession:ok' } });
    const completed = await page.evaluate(async () => {
      const seen = [];
      await window.createWeRun().checkSession({ complete: (res) => seen.push(res), success: undefined, fail: null });
      return seen;
    });
    assert.deepEqual(completed, [{ errMsg: 'checkSession:ok' }]);
  });

  test("a malformed option throws, synchronously, what the module throws for it, and starts no call", async () => {
    const host = stepsHost();
    werun.setHostImplementation(host);
    await attempt('werun', 'login');
    const replies = traffic.replies.length;
    const options = [
      'success',
      42,
      true,
      { success: 'not a function' },
      { fail: {} },
      { complete: 1 },
      { success: null, fail: [], complete: 'x' },
      { success: undefined, complete: false },
    ];
    for (const api of APIS) {
      for (const option of options) {
        // The expected TypeError is the real module's, asked in Node with the same option.
        const expected = moduleThrows(api, option);
        assert.equal(expected.error, 'TypeError');
        assert.deepEqual(await attempt('werun', api, option), { threw: expected }, `${api} ${JSON.stringify(option)}`);
      }
    }
    const sent = traffic.replies.slice(replies);
    assert.equal(sent.length, APIS.length * options.length, 'each start crossed once');
    assert.ok(sent.every(({ method, text }) => method !== 'result' && JSON.parse(text).error !== undefined), 'no call started');
    assert.deepEqual(host.calls, { login: 1, authorize: 0, getSteps: 0 });
  });

  test('the page holds none of the TypeError sentences of bindings/common/js_api.h', () => {
    const source = readFileSync(new URL('../../hybrid/index.js', import.meta.url), 'utf8');
    assert.doesNotMatch(source, /must be|needs werun\.configure/);
  });

  test('a throwing success is reported as uncaught; complete still runs and the promise resolves', async () => {
    werun.setHostImplementation(stepsHost());
    browser.pageErrors.length = 0;
    const call = await observeCall('werun', 'login', 'success');
    assert.deepEqual(call.order, ['success', 'complete', 'resolved']);
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 50)));
    assert.deepEqual(browser.pageErrors, ['success threw']);
  });

  test('a throwing fail is reported as uncaught; complete still runs and the promise rejects', async () => {
    browser.pageErrors.length = 0;
    const call = await observeCall('werun', 'checkSession', 'fail');
    assert.deepEqual(call.order, ['fail', 'complete', 'rejected']);
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 50)));
    assert.deepEqual(browser.pageErrors, ['fail threw']);
  });
});

describe('errMsg table, through the page', () => {
  test('unsupported: no host, a host without login, a host without getSteps', async () => {
    assert.equal(await failure('werun', 'getWeRunData'), unsupported('getWeRunData'));
    assert.equal(await failure('werun', 'login'), unsupported('login'));
    werun.setHostImplementation(countingHost({ login: loginAnswering() }));
    await attempt('werun', 'login');
    assert.equal(await failure('werun', 'getWeRunData'), unsupported('getWeRunData'));
  });

  test('need login, then session expired after logout() called from the page', async () => {
    const host = stepsHost();
    werun.setHostImplementation(host);
    assert.equal(await failure('werun', 'getWeRunData'), 'getWeRunData:fail need login');
    await attempt('werun', 'login');
    assert.deepEqual(await attempt('werun', 'logout'), { returned: undefined });
    assert.equal(await failure('werun', 'checkSession'), 'checkSession:fail session expired');
    assert.equal(await failure('werun', 'getWeRunData'), 'getWeRunData:fail need login');
    assert.equal(host.calls.getSteps, 0);
  });

  test('session expired after expiresIn', async () => {
    werun.setHostImplementation(countingHost({ login: loginAnswering({ expiresIn: 1 }), getSteps: async () => [] }));
    await attempt('werun', 'login');
    assert.deepEqual(await attempt('werun', 'checkSession'), { resolved: { errMsg: 'checkSession:ok' } });
    await sleep(1100);
    assert.equal(await failure('werun', 'checkSession'), 'checkSession:fail session expired');
  });

  test('auth deny, remembered without asking the host again', async () => {
    const host = stepsHost(undefined, { authorize: async () => false });
    werun.setHostImplementation(host);
    await attempt('werun', 'login');
    assert.equal(await failure('werun', 'getWeRunData'), 'getWeRunData:fail auth deny');
    assert.equal(await failure('werun', 'getWeRunData'), 'getWeRunData:fail auth deny');
    assert.deepEqual(await attempt('werun', 'getAuthorization'), { returned: 'denied' });
    assert.deepEqual(host.calls, { login: 1, authorize: 1, getSteps: 0 });
  });

  test("host: the host's message, 'host error' for an empty one", async () => {
    werun.setHostImplementation(countingHost({ login: async () => Promise.reject(new Error('account service offline')) }));
    assert.equal(await failure('werun', 'login'), 'login:fail account service offline');
    werun.setHostImplementation(stepsHost(undefined, { getSteps: async () => Promise.reject(new Error('')) }));
    await attempt('werun', 'login');
    assert.equal(await failure('werun', 'getWeRunData'), 'getWeRunData:fail host error');
  });

  test('invalid host data: the core names the value', async () => {
    werun.setHostImplementation(stepsHost([{ timestamp: 1_700_000_000, step: -5 }]));
    await attempt('werun', 'login');
    assert.match(await failure('werun', 'getWeRunData'), /^getWeRunData:fail invalid host data: .*-5/);
  });

  test('busy: past maxInFlight, new calls fail busy; checkSession never waits', async () => {
    const steps = deferred();
    reset(stepsHost(undefined, { getSteps: () => steps.promise }), { maxInFlight: 1 });
    await attempt('werun', 'login');
    const waiting = attempt('werun', 'getWeRunData');
    await sleep(50);
    const busy = await observeCall('werun', 'getWeRunData');
    assert.deepEqual(busy.order, ['fail', 'complete', 'rejected']);
    assert.deepEqual(busy.value, { errMsg: 'getWeRunData:fail busy' });
    assert.equal(await failure('werun', 'login'), 'login:fail busy');
    assert.deepEqual(await attempt('werun', 'checkSession'), { resolved: { errMsg: 'checkSession:ok' } });
    steps.resolve([{ timestamp: 1_700_000_000, step: 1 }]);
    assert.equal((await waiting).resolved.errMsg, 'getWeRunData:ok');
  });
});

describe('timeouts and a host that never answers', () => {
  test('<api>:fail timeout when the host does not answer in time', async () => {
    werun.configure({ appid: APPID, timeoutMs: 50 });
    werun.setHostImplementation(countingHost({ login: never }));
    assert.equal(await failure('werun', 'login'), 'login:fail timeout');
    werun.configure({ appid: APPID, timeoutMs: 10_000 });
    werun.setHostImplementation(stepsHost(undefined, { getSteps: never }));
    await attempt('werun', 'login');
    werun.configure({ appid: APPID, timeoutMs: 50 });
    const call = await observeCall('Taro', 'getWeRunData');
    assert.deepEqual(call.order, ['fail', 'complete', 'rejected']);
    assert.deepEqual(call.value, { errMsg: 'getWeRunData:fail timeout' });
  });

  test('concurrent calls waiting on the host share one getSteps request, each sealed with its own iv', async () => {
    // Each call crosses the bridge on its own, so the host's answer waits
    // until all three are in the core.
    const steps = deferred();
    const host = stepsHost(undefined, { getSteps: () => steps.promise });
    werun.setHostImplementation(host);
    await attempt('werun', 'login');
    const calls = page.evaluate(() => Promise.all([1, 2, 3].map(() => window.createWeRun().getWeRunData())));
    await sleep(200);
    steps.resolve([{ timestamp: nowSeconds(), step: 12 }]);
    const results = await calls;
    assert.equal(host.calls.getSteps, 1);
    assert.equal(new Set(results.map((res) => res.iv)).size, 3);
  });

  test('200 concurrent calls of all three kinds each settle exactly once', async () => {
    werun.setHostImplementation(stepsHost());
    await attempt('werun', 'login');
    const counts = await page.evaluate(async () => {
      const werun = window.createWeRun();
      const settled = new Array(200).fill(0);
      const calls = settled.map((_, i) =>
        werun[['getWeRunData', 'login', 'checkSession'][i % 3]]({ complete: () => settled[i]++ }),
      );
      const results = await Promise.allSettled(calls);
      return { settled, fulfilled: results.filter((r) => r.status === 'fulfilled').length };
    });
    assert.ok(counts.settled.every((n) => n === 1));
    assert.equal(counts.fulfilled, 200);
  });
});

describe('a page reload with calls in flight', () => {
  test('the core completes them (timeout), the shell drops their results, and nothing reaches the reloaded page', async () => {
    werun.configure({ appid: APPID, timeoutMs: 10_000 });
    werun.setHostImplementation(stepsHost(undefined, { getSteps: never }));
    await attempt('werun', 'login');
    werun.configure({ appid: APPID, timeoutMs: 400 });
    werun.setHostImplementation(countingHost({ login: never, getSteps: never }));
    traffic.stale.length = 0;
    const sent = traffic.replies.length;
    // Two calls wait on the host; the page goes away before either ends.
    await page.evaluate(() => {
      window.createWeRun().getWeRunData();
      window.createWeRun().login();
    });
    await sleep(50);
    await browser.load();
    assert.deepEqual(await page.evaluate(() => window.__received), [], 'the new page starts with nothing');
    await sleep(700);
    // The core ended both calls (timeout), and the shell dropped the results.
    assert.deepEqual(
      traffic.stale.map(({ api, res }) => `${api} ${res.errMsg}`).sort(),
      ['getWeRunData getWeRunData:fail timeout', 'login login:fail timeout'],
    );
    const late = traffic.replies.slice(sent).filter(({ method }) => method === 'result');
    assert.deepEqual(late.map(({ text }) => JSON.parse(text)), [{ ok: false, stale: true }, { ok: false, stale: true }]);
    assert.deepEqual(await page.evaluate(() => window.__received), [], 'nothing reached the reloaded page');
    // The reloaded page's own calls are answered as usual.
    werun.configure({ appid: APPID, timeoutMs: 10_000 });
    werun.setHostImplementation(stepsHost());
    assert.deepEqual(await attempt('Taro', 'login'), { resolved: { errMsg: 'login:ok', code: 'code-1' } });
    assert.equal((await attempt('Taro', 'getWeRunData')).resolved.errMsg, 'getWeRunData:ok');
  });
});

describe('scope.werun and the synchronous calls', () => {
  test('getAuthorization and setAuthorization answer at once, and the core applies them', async () => {
    const host = stepsHost(undefined, { authorize: async () => true });
    werun.setHostImplementation(host);
    await attempt('werun', 'login');
    assert.deepEqual(await attempt('werun', 'getAuthorization'), { returned: 'notDetermined' });
    assert.deepEqual(await attempt('werun', 'setAuthorization', 'denied'), { returned: undefined });
    assert.equal(werun.getAuthorization(), 'denied');
    assert.equal(await failure('werun', 'getWeRunData'), 'getWeRunData:fail auth deny');
    await attempt('werun', 'setAuthorization', 'granted');
    assert.equal((await attempt('werun', 'getWeRunData')).resolved.errMsg, 'getWeRunData:ok');
    assert.equal(host.calls.authorize, 0);
  });

  test("setAuthorization refuses anything but the three states with the module's own TypeError", async () => {
    // The module judges every state, strings and other types alike.
    for (const state of ['GRANTED', 'allowed', '', 1, true, null, undefined, {}, []]) {
      const expected = moduleThrows('setAuthorization', state);
      assert.equal(expected.error, 'TypeError');
      const outcome = await attempt('werun', 'setAuthorization', state);
      assert.deepEqual(outcome, { threw: expected }, String(state));
    }
    assert.equal(werun.getAuthorization(), 'notDetermined');
  });
});

describe('what the page can reach', () => {
  test('the proxy has the six calls (and result) only: no configure, setHostImplementation or decrypt helper', () => {
    assert.deepEqual(WERUN_PROXY_METHODS, [
      'getWeRunData',
      'login',
      'checkSession',
      'result',
      'getAuthorization',
      'setAuthorization',
      'logout',
    ]);
  });

  test('the session key appears in nothing the page received', async () => {
    werun.setHostImplementation(
      countingHost({ login: loginAnswering({ sessionKey: SECOND_SESSION_KEY }), getSteps: async () => [{ timestamp: nowSeconds(), step: 5 }] }),
    );
    await attempt('Taro', 'login');
    await attempt('Taro', 'getWeRunData');
    await attempt('Taro', 'checkSession');
    const everything = traffic.replies.map(({ text }) => text).join('\n');
    assert.ok(traffic.replies.length > 50, 'every test of this file is in the record');
    for (const key of [SESSION_KEY, SECOND_SESSION_KEY]) {
      assert.ok(!everything.includes(key), 'base64 key');
      assert.ok(!everything.includes(Buffer.from(key, 'base64').toString('hex')), 'hex key');
    }
    const received = await page.evaluate(() => window.__received.join('\n'));
    assert.ok(!received.includes(SESSION_KEY) && !received.includes(SECOND_SESSION_KEY));
  });
});

describe('a plain browser, without the proxy', () => {
  test('every API answers unsupported', async () => {
    await browser.load('?noproxy');
    try {
      assert.equal(await page.evaluate(() => typeof window.werunBridge), 'undefined');
      for (const via of ['werun', 'Taro']) {
        for (const api of APIS) {
          const call = await observeCall(via, api);
          assert.deepEqual(call.order, ['fail', 'complete', 'rejected'], api);
          assert.deepEqual(call.value, { errMsg: unsupported(api) }, api);
          assert.equal(call.ranBeforeReturn, 0);
        }
      }
      for (const [api, ...args] of [['getAuthorization'], ['setAuthorization', 'granted'], ['logout']]) {
        assert.deepEqual(await attempt('werun', api, ...args), {
          threw: { error: 'Error', message: unsupported(api) },
          errMsg: unsupported(api),
        });
      }
    } finally {
      await browser.load();
    }
  });
});
