// @werun/taro-plugin on ArkTS builds, through a real vite build (vite.mjs):
// vite 4.5.9 resolves the config `taro build --type harmony` produced
// (kernel.mjs) and builds the app's page forms, placed in the app's source
// directory, with the plugins that touch @tarojs/taro in vite's own order;
// the output is linked against the runtime copy and run under Node with
// werun's Node-API module standing in for the HAR.
import assert from 'node:assert/strict';
import { before, beforeEach, describe, test } from 'node:test';

import { APPID, SESSION_KEY, failure, observe, platform, reset, stepsHost, werun } from '../../../harmony/tests/helpers.mjs';
import { buildHarmonyEts, require } from './kernel.mjs';
import { viteBuildApp } from './vite.mjs';

globalThis.__werunHar = werun;

const forms = {
  'default export (Taro.getWeRunData) in app source': (app) => app.defaultImport,
  'named import in app source': (app) => app.namedImport,
  'import * as Taro in app source': (app) => app.namespaceImport,
  'wx.getWeRunData in app source (vite-runner injects wx)': (app) => app.wxGlobal,
  'named import in a .ets module': (app) => app.etsPage,
  'named import in a node_modules library': (app) => app.lib.named,
  'import * as Taro in a node_modules library': (app) => app.lib.namespace,
  'wx in a node_modules library': (app) => app.lib.wxGlobal,
};

describe('ArkTS, real vite build: every form in app source reaches werun', () => {
  let result;
  before(async () => {
    result = await viteBuildApp(await buildHarmonyEts());
  });
  beforeEach(() => reset());

  test('vite is the version vite-runner 4.2.0 expects', () => {
    assert.equal(require('vite/package.json').version, '4.5.9');
    assert.match(require('@tarojs/vite-runner/package.json').peerDependencies.vite, /^\^4/);
  });

  test("vite runs inject (wx), then werun's namespace pass, then vite-runner's taroapi pass", () => {
    for (const order of [result.resolved.plugins, result.resolved.getSortedPlugins('transform')]) {
      const at = (name) => order.findIndex((p) => p.name === name);
      assert.ok(at('inject') >= 0 && at('taro:vite-import-api') >= 0, 'both are in the resolved config');
      assert.ok(at('inject') < at('werun:taro-namespace'), 'inject before werun');
      assert.equal(at('werun:taro-namespace') + 1, at('taro:vite-import-api'), 'werun right before taroapi');
    }
  });

  test('the injected wx no longer survives as a free variable', () => {
    assert.doesNotMatch(result.viteOutput, /\bwx\.getWeRunData/);
  });

  for (const [label, pick] of Object.entries(forms)) {
    test(`${label}: werun's login, checkSession and getWeRunData; the backend decrypts`, async () => {
      const page = pick(result.app);
      werun.setHostImplementation(stepsHost([{ timestamp: Math.floor(Date.now() / 1000), step: 2468 }]));
      assert.equal((await page.login()).errMsg, 'login:ok');
      assert.equal((await page.checkSession()).errMsg, 'checkSession:ok');
      const seen = await observe((option) => page.getWeRunData(option));
      assert.deepEqual(seen.order, ['success', 'complete', 'resolved']);
      const data = JSON.parse(platform.decrypt(SESSION_KEY, seen.value.encryptedData, seen.value.iv));
      assert.equal(data.watermark.appid, APPID);
      assert.equal(data.stepInfoList.at(-1).step, 2468);
    });
  }

  test("wx.getWeRunData in app source: werun's failure errMsg", async () => {
    werun.setHostImplementation(stepsHost());
    const seen = await observe((option) => result.app.wxGlobal.getWeRunData(option));
    assert.deepEqual(seen.order, ['fail', 'complete', 'rejected']);
    assert.equal(seen.value.errMsg, 'getWeRunData:fail need login');
    assert.equal(await failure(result.app.namespaceImport.checkSession()), 'checkSession:fail session expired');
  });
});

describe('ArkTS, real vite build, without @werun/taro-plugin', () => {
  test('import * as Taro and wx in app source throw ReferenceError; the other forms get Taro’s stub', async () => {
    const { app, viteOutput } = await viteBuildApp(await buildHarmonyEts({ withWerun: false }));
    assert.match(viteOutput, /\bwx\.getWeRunData/, 'taroapi dropped the injected namespace import');
    assert.throws(() => app.namespaceImport.getWeRunData({}), { name: 'ReferenceError', message: /Taro is not defined/ });
    assert.throws(() => app.wxGlobal.getWeRunData({}), { name: 'ReferenceError', message: /wx is not defined/ });
    for (const [label, pick] of Object.entries(forms)) {
      if (/app source \(vite|import \* as Taro in app/.test(label)) continue;
      const seen = await observe((option) => pick(app).getWeRunData(option));
      assert.deepEqual(seen.value, { errMsg: '暂时不支持 API getWeRunData' }, label);
    }
  });
});

describe("werun's namespace pass", () => {
  const acorn = require('acorn');
  const parse = (code) => acorn.parse(code, { ecmaVersion: 'latest', sourceType: 'module' });
  test('aliases namespace imports to a default import the file already has, and leaves other files alone', async () => {
    const { harmony } = (await import('../../src/index.js')).default;
    const code = "import Taro, * as A from '@tarojs/taro';\nimport * as B from '@tarojs/taro';\nimport * as C from 'other';\n";
    assert.equal(
      harmony.rewriteNamespaceImports(code, parse(code)),
      "import Taro from '@tarojs/taro'; const A = Taro;\nconst B = Taro;\nimport * as C from 'other';\n",
    );
    const plain = "import Taro from '@tarojs/taro';\n";
    assert.equal(harmony.rewriteNamespaceImports(plain, parse(plain)), undefined);
    assert.throws(() => harmony.insertBeforeImportApi([[{ name: 'x' }]], {}), /no taro:vite-import-api/);
  });
});
