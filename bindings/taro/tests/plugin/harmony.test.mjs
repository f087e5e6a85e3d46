// @werun/taro-plugin on HarmonyOS ArkTS builds: `taro build --type harmony`
// through Taro's real kernel with @tarojs/plugin-platform-harmony-ets 4.2.0
// and werun's plugin in config.plugins (kernel.mjs: what stands in), then
// the app linked against the output and run under Node with werun's
// Node-API module standing in for the HAR (link.mjs).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, beforeEach, describe, test } from 'node:test';

import { APPID, SESSION_KEY, failure, observe, platform, reset, stepsHost, werun } from '../../../harmony/tests/helpers.mjs';
import { buildHarmonyEts } from './kernel.mjs';
import { linkHarmony } from './link.mjs';

globalThis.__werunHar = werun;
const THREE = ['getWeRunData', 'login', 'checkSession'];

/** Every form of page code, by label, from the linked app. */
const forms = (app) => ({
  'default export (Taro.getWeRunData)': app.defaultImport,
  'named import in app source': app.namedImport,
  'named import in a .ets module': app.etsPage,
  'named import in a node_modules library': app.lib.named,
  'import * as Taro in a node_modules library': app.lib.namespace,
  'wx (vite-runner injects the module namespace) in a node_modules library': app.lib.wxGlobal,
});

describe('ArkTS: plugin-platform-harmony-ets + vite-runner, with @werun/taro-plugin', () => {
  let built;
  let app;
  before(async () => {
    built = await buildHarmonyEts();
    ({ app } = await linkHarmony(built));
  });
  beforeEach(() => reset());

  test("the copied API module re-exports werun's three functions from @werun/harmony", () => {
    const copy = join(built.outputRoot, 'npm/@tarojs/taro/open-api');
    const werunTs = readFileSync(join(copy, 'werun.ts'), 'utf8');
    const loginTs = readFileSync(join(copy, 'login.ts'), 'utf8');
    assert.match(werunTs, /^export \{ getWeRunData \} from '@werun\/harmony'/m);
    assert.match(loginTs, /^export \{ login \} from '@werun\/harmony'/m);
    assert.match(loginTs, /^export \{ checkSession \} from '@werun\/harmony'/m);
    assert.match(werunTs, /shareToWeRun = .*temporarilyNotSupport\('shareToWeRun'\)/, 'the rest is Taro’s');
    for (const name of THREE) assert.doesNotMatch(werunTs + loginTs, new RegExp(`temporarilyNotSupport\\('${name}'\\)`));
  });

  test("the vite config keeps the harmony plugin's own plugins, and werun's after them", () => {
    const names = built.viteConfig.plugins.flat(Infinity).filter((p) => p && !built.runnerPlugins.has(p)).map((plugin) => plugin.name);
    assert.deepEqual(names, ['werun:taro-namespace', 'taro:vite-harmony-external', 'taro:vite-loader-meta', 'werun:harmony-apis']);
    const [, ...runnerBabel] = built.viteConfig.plugins[0].find((p) => Array.isArray(p) && p.some((q) => q?.name === 'taro:vite-import-api'));
    assert.deepEqual(runnerBabel.map((p) => p.name), ['werun:taro-namespace', 'taro:vite-import-api'], "werun's namespace pass sits right before vite-runner's taroapi pass");
  });

  test("every form binds werun's functions, with no installWeRun", () => {
    for (const name of THREE) assert.equal(app.Taro[name], werun[name], `Taro.${name}`);
    for (const name of THREE) assert.equal(app.lib.named[name], werun[name], `named ${name} in a library`);
  });

  for (const [label, pick] of Object.entries({
    'default export (Taro.getWeRunData)': (a) => a.defaultImport,
    'named import in app source': (a) => a.namedImport,
    'named import in a .ets module': (a) => a.etsPage,
    'named import in a node_modules library': (a) => a.lib.named,
    'import * as Taro in a node_modules library': (a) => a.lib.namespace,
    'wx (vite-runner injects the module namespace) in a node_modules library': (a) => a.lib.wxGlobal,
  })) {
    test(`${label}: login, checkSession, getWeRunData: werun's results, callback order, and the backend decrypts`, async () => {
      const page = pick(app);
      werun.setHostImplementation(stepsHost([{ timestamp: Math.floor(Date.now() / 1000), step: 4321 }]));
      assert.equal((await page.login()).errMsg, 'login:ok');
      assert.equal((await page.checkSession()).errMsg, 'checkSession:ok');
      const seen = await observe((option) => page.getWeRunData(option));
      assert.deepEqual(seen.order, ['success', 'complete', 'resolved']);
      assert.equal(seen.value.errMsg, 'getWeRunData:ok');
      const data = JSON.parse(platform.decrypt(SESSION_KEY, seen.value.encryptedData, seen.value.iv));
      assert.equal(data.watermark.appid, APPID);
      assert.equal(data.stepInfoList.at(-1).step, 4321);
    });

    test(`${label}: werun's failures: fail, complete, rejected, with werun's errMsg`, async () => {
      const page = pick(app);
      werun.setHostImplementation(stepsHost());
      const seen = await observe((option) => page.getWeRunData(option));
      assert.deepEqual(seen.order, ['fail', 'complete', 'rejected']);
      assert.equal(seen.value.errMsg, 'getWeRunData:fail need login');
      assert.equal(await failure(page.checkSession()), 'checkSession:fail session expired');
    });
  }

  test('a second buildStart (watch mode) leaves the rewrite as it is', async () => {
    const plugin = built.viteConfig.plugins.find((p) => p.name === 'werun:harmony-apis');
    const file = join(built.outputRoot, 'npm/@tarojs/taro/open-api/login.ts');
    const first = readFileSync(file, 'utf8');
    await plugin.buildStart();
    assert.equal(readFileSync(file, 'utf8'), first);
  });
});

describe('ArkTS without @werun/taro-plugin (what the plugin changes)', () => {
  test("every form reaches Taro's production stub: success with '暂时不支持 API getWeRunData'", async () => {
    const built = await buildHarmonyEts({ withWerun: false });
    assert.deepEqual(built.viteConfig.plugins.slice(1).map((p) => p.name), ['taro:vite-harmony-external', 'taro:vite-loader-meta']);
    const { app } = await linkHarmony(built);
    for (const [label, page] of Object.entries(forms(app))) {
      const seen = await observe((option) => page.getWeRunData(option));
      assert.deepEqual(seen.order, ['success', 'complete', 'resolved'], label);
      assert.deepEqual(seen.value, { errMsg: '暂时不支持 API getWeRunData' }, label);
    }
  });
});

describe("the plugin's rewrite refuses what it does not know", () => {
  test('a changed stub fails the build instead of leaving the stub in', async () => {
    const { harmony } = (await import('../../src/index.js')).default;
    assert.throws(() => harmony.rewriteStubs("export const getWeRunData = somethingElse('getWeRunData')\n", ['getWeRunData']), /no longer defines getWeRunData/);
  });
});
