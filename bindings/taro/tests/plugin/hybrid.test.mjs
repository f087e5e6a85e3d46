// @werun/taro-plugin on hybrid builds: `taro build --type harmony-hybrid`
// through Taro's real kernel with @tarojs/plugin-platform-harmony-hybrid
// 4.1.11 and werun's plugin in config.plugins; the webpack chain is
// webpack-chain 6.5.1 with what webpack5-runner's H5 chain has that the two
// plugins touch (kernel.mjs). Pages are compiled with the babel-loader
// options the chain ends with.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';

import { buildHybrid, pluginPath, require } from './kernel.mjs';

const babel = require('@babel/core');
const THREE = ['getWeRunData', 'login', 'checkSession'];
const INSTALLER = '@werun/taro-plugin/hybrid/install';

const PAGES = {
  default: "import Taro from '@tarojs/taro';\nexport const run = (o) => [Taro.getWeRunData(o), Taro.login(o), Taro.checkSession(o), Taro.getSystemInfoSync()];\n",
  named: "import { getWeRunData, login, checkSession } from '@tarojs/taro';\nexport const run = (o) => [getWeRunData(o), login(o), checkSession(o)];\n",
};

const babelOptions = (chain) => chain.module.rule('script').use('babelLoader').get('options');
const taroApiOptions = (chain) => babelOptions(chain).plugins.find((plugin) => plugin[1]?.packageName === '@tarojs/taro')[1];

function compile(chain, source) {
  const { plugins } = babelOptions(chain);
  // The hybrid plugin passes the transform's module object ({ default }); babel-loader gets it as is.
  const resolved = plugins.map(([plugin, options]) => [plugin.default ?? plugin, options]);
  return babel.transformSync(source, { babelrc: false, configFile: false, filename: '/app/src/pages/index.js', plugins: resolved }).code;
}

/** The imports of `code` from @tarojs/taro: [kind, imported name] pairs. */
function taroImports(code) {
  const ast = babel.parseSync(code, { babelrc: false, configFile: false, sourceType: 'module' });
  return ast.program.body
    .filter((node) => node.type === 'ImportDeclaration' && node.source.value === '@tarojs/taro')
    .flatMap((node) => node.specifiers.map((s) => [s.type, s.imported?.name ?? null]));
}

describe('hybrid: plugin-platform-harmony-hybrid, with @werun/taro-plugin', () => {
  let chain;
  before(async () => {
    ({ chain } = await buildHybrid());
  });

  test("the taroapi transform's list no longer names getWeRunData, login or checkSession; the rest is the hybrid plugin's", async () => {
    const { apis } = taroApiOptions(chain);
    const { chain: plain } = await buildHybrid({ withWerun: false });
    const before = taroApiOptions(plain).apis;
    for (const name of THREE) assert.ok(before.has(name), `the hybrid plugin lists ${name}`);
    for (const name of THREE) assert.ok(!apis.has(name), name);
    assert.deepEqual([...apis], [...before].filter((name) => !THREE.includes(name)));
  });

  test('the page-side installer comes first in the app entry', () => {
    const entry = chain.entryPoints.get('app').values();
    assert.equal(entry[0], INSTALLER);
    assert.match(entry[1], /src\/app\.config$/);
  });

  test('a page keeps the three on the default export; other APIs stay direct imports', () => {
    for (const [form, source] of Object.entries(PAGES)) {
      const code = compile(chain, source);
      for (const name of THREE) assert.match(code, new RegExp(`Taro\\.${name}\\(o\\)`), `${form}: ${name}`);
      const imports = taroImports(code);
      assert.ok(imports.some(([kind]) => kind === 'ImportDefaultSpecifier'), `${form}: ${code}`);
      for (const name of THREE) assert.ok(!imports.some(([, imported]) => imported === name), `${form}: ${name} imported directly`);
    }
    assert.ok(taroImports(compile(chain, PAGES.default)).some(([, imported]) => imported === 'getSystemInfoSync'));
  });

  test('without werun’s plugin the hybrid plugin imports Taro’s own three and no installer runs', async () => {
    const { chain: plain } = await buildHybrid({ withWerun: false });
    assert.ok(!plain.entryPoints.get('app').values().includes(INSTALLER));
    const imports = taroImports(compile(plain, PAGES.default));
    for (const name of THREE) assert.ok(imports.some(([, imported]) => imported === name), name);
  });

  test('the package exports the installer the entry names', () => {
    const { exports } = require(join(pluginPath, 'package.json'));
    assert.equal(exports['./hybrid/install'].default, './hybrid/install.js');
    assert.equal(exports['./hybrid'].default, './hybrid/index.js');
  });

  test('the request the entry names resolves, through the package\'s exports, to the installer the bridge tests run', () => {
    // Node's self-reference: this file is inside @werun/taro-plugin, so the
    // package's own `exports` map resolves the request, as a bundler does.
    const resolved = fileURLToPath(import.meta.resolve(INSTALLER));
    assert.equal(resolved, join(pluginPath, 'hybrid/install.js'));
    assert.ok(existsSync(resolved));
  });
});
