// Before the app's ArkTS calls configure: what the module throws reaches the
// page through the bridge. Its own file, so node --test runs it in a fresh
// process whose Node-API module was never configured (a configured module
// stays configured). Stand-ins as in harness.mjs: headless Chromium for
// ArkWeb, Node running WeRunWebProxy.ets over the real module for ArkTS.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { openBrowser } from './harness.mjs';

let browser;
before(async () => {
  browser = await openBrowser();
});
after(async () => {
  await browser?.close();
});

const needsConfigure = (fn) => `werun.${fn}() needs werun.configure({ appid }) to be called first`;

test("before configure, the calls reject with the module's TypeError and run no callback", async () => {
  for (const api of ['getWeRunData', 'login', 'checkSession']) {
    const call = await browser.page.evaluate((a) => window.observeCall('werun', a), api);
    assert.deepEqual(call.order, ['rejected'], api);
    assert.equal(call.isError, true, api);
    assert.deepEqual(call.value, { error: 'TypeError', message: needsConfigure(api) }, api);
  }
});

test("before configure, getAuthorization, setAuthorization and logout throw the module's TypeError", async () => {
  for (const [api, ...args] of [['getAuthorization'], ['setAuthorization', 'granted'], ['logout']]) {
    const outcome = await browser.page.evaluate(([a, rest]) => window.attempt('werun', a, ...rest), [api, args]);
    assert.deepEqual(outcome, { threw: { error: 'TypeError', message: needsConfigure(api) } }, api);
  }
});
