// Taro page code (app/) built by Taro's own packages for React Native and
// for HarmonyOS ArkTS (build.mjs), with werun installed on the Taro it
// resolves through installWeRun, against werun's Node-API module. See
// docs/guides/taro.md.
import assert from 'node:assert/strict';
import { before, beforeEach, describe, test } from 'node:test';

import { APPID, SESSION_KEY, failure, observe, reset, stepsHost, platform, werun } from '../../bindings/harmony/tests/helpers.mjs';
import { buildHarmony, buildReactNative, require, taroRnLists } from './build.mjs';

const { installWeRun, decrypt } = platform;
assert.ok(installWeRun, 'bindings/js/dist/installWeRun.js is built');
const THREE = ['getWeRunData', 'login', 'checkSession'];

/** The versions package.json pins are the ones installed. */
test('the installed Taro packages are the pinned ones', () => {
  const { dependencies } = require('./package.json');
  for (const [name, version] of Object.entries(dependencies)) {
    assert.equal(require(`${name}/package.json`).version, version, name);
  }
});

/** The callback order and errMsg strings of werun, through `page`. */
function reachesWerun(label, load) {
  describe(`${label}: through installWeRun`, () => {
    let app;
    before(async () => {
      app = await load();
      installWeRun(app.Taro, werun);
    });
    beforeEach(() => reset());

    for (const form of ['defaultImport', 'namedImport']) {
      test(`${form}: login, checkSession, then getWeRunData: success, complete, resolved, and the backend decrypts it`, async () => {
        const page = app[form];
        werun.setHostImplementation(stepsHost([{ timestamp: Math.floor(Date.now() / 1000), step: 4321 }]));
        assert.equal((await page.login()).errMsg, 'login:ok');
        assert.equal((await page.checkSession()).errMsg, 'checkSession:ok');
        const seen = await observe((option) => page.getWeRunData(option));
        assert.deepEqual(seen.order, ['success', 'complete', 'resolved']);
        assert.equal(seen.values[0], seen.value);
        assert.equal(seen.value.errMsg, 'getWeRunData:ok');
        const data = JSON.parse(decrypt(SESSION_KEY, seen.value.encryptedData, seen.value.iv));
        assert.equal(data.watermark.appid, APPID);
        assert.equal(data.stepInfoList.at(-1).step, 4321);
      });

      test(`${form}: werun's failures: fail, complete, rejected, with werun's errMsg`, async () => {
        const page = app[form];
        werun.setHostImplementation(stepsHost());
        const seen = await observe((option) => page.getWeRunData(option));
        assert.deepEqual(seen.order, ['fail', 'complete', 'rejected']);
        assert.equal(seen.value.errMsg, 'getWeRunData:fail need login');
        assert.equal(await failure(page.checkSession()), 'checkSession:fail session expired');
      });
    }
  });
}

describe('React Native: babel-preset-taro (TARO_ENV=rn), rn-supporter, taro-rn', () => {
  let built;
  before(async () => {
    built = await buildReactNative();
  });

  test("guard: taro-rn's API lists do not name getWeRunData, login or checkSession", () => {
    const { apiList, libList } = taroRnLists();
    assert.ok(apiList.length > 10 && libList.length > 10, 'the lists were read');
    for (const name of THREE) {
      assert.ok(!apiList.includes(name) && !libList.includes(name), `${name} would be imported from taro-rn directly, past installWeRun`);
    }
  });

  test("rn-supporter's resolver aliases @tarojs/taro to @tarojs/taro-rn", () => {
    assert.deepEqual([...built.resolved['@tarojs/taro']], ['@tarojs/taro-rn']);
  });

  test('guard: both page forms compile to member reads on the default import, at call time', () => {
    for (const file of ['pages/default-import.js', 'pages/named-import.js']) {
      const code = built.transformed[file];
      for (const name of THREE) assert.match(code, new RegExp(`_taro\\.default\\.${name}\\(option\\)`), `${file}: ${name}`);
      assert.doesNotMatch(code, /@tarojs\/taro-rn\/dist\/(api|lib)/, `${file} imports taro-rn's API modules directly`);
    }
  });

  test("taro-rn's default export has no getWeRunData, login or checkSession: a page call throws a TypeError", async () => {
    const { app } = built;
    for (const name of THREE) assert.equal(app.Taro[name], undefined, name);
    assert.throws(() => app.defaultImport.getWeRunData({}), TypeError);
    assert.throws(() => app.namedImport.getWeRunData({}), TypeError);
  });

  reachesWerun('React Native', async () => (await buildReactNative()).app);

  test('not reached: `import * as Taro` reads the module namespace, which has no getWeRunData', async () => {
    const { app, transformed } = built;
    installWeRun(app.Taro, werun);
    assert.equal(typeof app.defaultImport.getWeRunData, 'function');
    assert.match(transformed['pages/namespace-import.js'], /_interopRequireWildcard\(require\("@tarojs\/taro"\)\)/);
    assert.throws(() => app.namespaceImport.getWeRunData({}), { name: 'TypeError', message: /getWeRunData is not a function/ });
  });
});

describe('HarmonyOS ArkTS: plugin-platform-harmony-ets dist/apis, vite-runner + babel-plugin-transform-taroapi', () => {
  let production;
  before(async () => {
    production = await buildHarmony('production');
  });

  test('guard: the transform leaves both page forms as member reads on the default import', () => {
    const babel = require('@babel/core');
    for (const file of ['pages/default-import.js', 'pages/named-import.js']) {
      const code = production.transformed[file];
      const ast = babel.parseSync(code, { babelrc: false, configFile: false, sourceType: 'module' });
      const imports = ast.program.body.filter((node) => node.type === 'ImportDeclaration');
      assert.deepEqual(
        imports.map((node) => [node.source.value, node.specifiers.map((s) => s.type)]),
        [['@tarojs/taro', ['ImportDefaultSpecifier']]],
        `${file}: ${code}`,
      );
      for (const name of THREE) assert.match(code, new RegExp(`Taro\\.${name}\\(option\\)`), `${file}: ${name}`);
    }
  });

  test("production stub (what an app sees without werun): success with '暂时不支持 API getWeRunData', no :fail", async () => {
    const { app } = await buildHarmony('production');
    for (const page of [app.defaultImport, app.namedImport]) {
      const seen = await observe((option) => page.getWeRunData(option));
      assert.deepEqual(seen.order, ['success', 'complete', 'resolved']);
      assert.deepEqual(seen.value, { errMsg: '暂时不支持 API getWeRunData' });
    }
  });

  test("development stub: fail with 'getWeRunData:fail 暂时不支持 API getWeRunData'", async () => {
    const { app } = await buildHarmony('development');
    const seen = await observe((option) => app.defaultImport.getWeRunData(option));
    assert.deepEqual(seen.order, ['fail', 'complete', 'resolved']);
    assert.equal(seen.value.errMsg, 'getWeRunData:fail 暂时不支持 API getWeRunData');
  });

  reachesWerun('HarmonyOS', async () => (await buildHarmony('production')).app);

  test('not reached: `import * as Taro` loses its binding in the transform; the call throws a ReferenceError', async () => {
    const { app, transformed } = await buildHarmony('production');
    installWeRun(app.Taro, werun);
    assert.match(transformed['pages/namespace-import.js'], /^import '@tarojs\/taro';$/m);
    assert.throws(() => app.namespaceImport.getWeRunData({}), { name: 'ReferenceError', message: /Taro is not defined/ });
  });

  // vite-runner injects `import * as wx from '@tarojs/taro'` (the module
  // namespace, which installWeRun does not patch); this harness does not run
  // that injection, bindings/taro/tests/plugin does.
  test('not reached: `wx` (this harness injects none; vite-runner injects the namespace, which installWeRun does not patch)', async () => {
    const { app } = await buildHarmony('production');
    installWeRun(app.Taro, werun);
    assert.equal(globalThis.wx, undefined);
    assert.throws(() => app.wxGlobal.getWeRunData({}), { name: 'ReferenceError', message: /wx is not defined/ });
  });
});
