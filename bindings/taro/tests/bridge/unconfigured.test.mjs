// Before the app's ArkTS calls configure: what the module throws reaches the
// page through the bridge, thrown synchronously as the module throws it. Its own file, so node --test runs it in a fresh
// process whose Node-API module was never configured (a configured module
// stays configured). Stand-ins as in harness.mjs: headless Chromium for
// ArkWeb, Node running WeRunWebProxy.ets over the real module for ArkTS.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { moduleThrows, openBrowser } from './harness.mjs';

let browser;
before(async () => {
  browser = await openBrowser();
});
after(async () => {
  await browser?.close();
});

// The module's own TypeError for a call before configure, asked in Node.
test("before configure, the calls throw the module's TypeError at once and run no callback", async () => {
  for (const api of ['getWeRunData', 'login', 'checkSession']) {
    const expected = moduleThrows(api);
    assert.match(expected.message, /configure/, api);
    const call = await browser.page.evaluate((a) => window.observeCall('werun', a), api);
    assert.deepEqual(call, { threw: expected }, api);
  }
});

test("before configure, getAuthorization, setAuthorization and logout throw the module's TypeError", async () => {
  for (const [api, ...args] of [['getAuthorization'], ['setAuthorization', 'granted'], ['logout']]) {
    const expected = moduleThrows(api, ...args);
    assert.match(expected.message, /configure/, api);
    const outcome = await browser.page.evaluate(([a, rest]) => window.attempt('werun', a, ...rest), [api, args]);
    assert.deepEqual(outcome, { threw: expected }, api);
  }
});
