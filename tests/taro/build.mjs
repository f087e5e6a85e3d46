// Builds the Taro app in app/ for one platform with Taro's own packages, and
// loads it under Node. esbuild only links the modules; every transform and
// every resolution that decides what `@tarojs/taro` is comes from Taro:
//
// React Native (what Taro's Metro setup does):
//   - app/ files go through babel-preset-taro with TARO_ENV=rn (its RN preset:
//     babel-plugin-transform-imports-api with taro-rn's apiList/libList, over
//     @react-native/babel-preset, which the preset picks from this
//     package.json as in an RN 0.73 app);
//   - their imports go through @tarojs/rn-supporter's resolver (handleFile:
//     its alias of @tarojs/taro to @tarojs/taro-rn and its platform files);
//   - @tarojs/taro-rn is the real package. What only a device has stands in
//     (standin.cjs, one inert object): `react-native`, taro-rn's native peer
//     dependencies (expo-*, @react-native-*/…, react-native-*), and
//     @tarojs/components-rn and react-navigation's react-native-screens (UI,
//     never reached by the APIs under test). `react` is the real one. Their
//     node_modules ES modules are turned into CommonJS by babel (as Metro
//     does) so named imports of a stand-in are read at use, not copied.
//
// HarmonyOS ArkTS (what @tarojs/plugin-platform-harmony-ets and
// @tarojs/vite-runner do):
//   - the plugin's own moveLibraries() copies dist/apis (with its apiLoader
//     and its process.env defines applied) and dist/runtime-ets to the
//     output's npm/ as it does for an app, for `@tarojs/taro` and
//     `@tarojs/runtime` as its externalDeps map them;
//   - app/ files go through @tarojs/vite-runner's harmony babel plugins
//     (dist/harmony/babel.js: its rename-import plugin, then
//     babel-plugin-transform-taroapi with the options vite-runner gives it);
//   - what only the device has stands in: `@ohos.*`, `@system.*`,
//     `@hmscore/*` modules (standin.cjs), and three ArkUI globals the runtime
//     reads at load (Observed, BorderStyle, CanvasRenderingContext2D); the
//     runtime's ENABLE_* build constants get vite-runner's defaults.
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const here = dirname(fileURLToPath(import.meta.url));
export const require = createRequire(join(here, 'package.json'));
const babel = require('@babel/core');
const esbuild = require('esbuild');

export const appDir = join(here, 'app');
export const standIn = join(here, 'standin.cjs');
const entry = join(appDir, 'index.js');
const inApp = (path) => path.startsWith(appDir + '/');
const packageOf = (name) => name.split('/').slice(0, name.startsWith('@') ? 2 : 1).join('/');

function tempDir(label) {
  return mkdtempSync(join(tmpdir(), `werun-taro-${label}-`));
}

/** What each app/ file became after the platform's transforms, by path relative to app/. */
function recorder() {
  const transformed = {};
  return { transformed, record: (path, code) => (transformed[path.slice(appDir.length + 1)] = code) };
}

/** esbuild as these tests run it: it links `entryPoint` into one ES module at `outfile`. */
export function linkOptions(entryPoint, outfile) {
  return { entryPoints: [entryPoint], bundle: true, format: 'esm', platform: 'neutral', outfile, logLevel: 'error' };
}

// ---------------------------------------------------------------- React Native

/** babel-preset-taro as Taro's Metro config runs it. */
export function rnBabelOptions(filename) {
  return {
    filename,
    babelrc: false,
    configFile: false,
    presets: [[require.resolve('babel-preset-taro'), { framework: 'react', ts: false }]],
  };
}

/** taro-rn's API lists, read the way babel-preset-taro's RN preset reads them. */
export function taroRnLists() {
  const presetRequire = createRequire(require.resolve('babel-preset-taro/rn/index.js'));
  return { apiList: presetRequire('@tarojs/taro-rn/apiList.js'), libList: presetRequire('@tarojs/taro-rn/libList.js') };
}

/** What stands in on React Native: react-native and the native packages. */
export function rnStandIns() {
  const peers = Object.keys(require('@tarojs/taro-rn/package.json').peerDependencies ?? {});
  return new Set([
    'react-native',
    ...peers.filter((name) => name !== 'react'),
    '@tarojs/components-rn',
    'react-native-screens',
  ]);
}

export async function buildReactNative() {
  process.env.TARO_ENV = 'rn';
  // The RN preset picks @react-native/babel-preset from the app's package.json.
  process.chdir(here);
  const { handleFile } = require('@tarojs/rn-supporter/dist/taroResolver');
  const standIns = rnStandIns();
  const commonJs = {
    babelrc: false,
    configFile: false,
    parserOpts: { plugins: ['jsx'] },
    plugins: [require.resolve('@babel/plugin-transform-modules-commonjs')],
  };
  const { transformed, record } = recorder();
  const resolved = {};
  const out = join(tempDir('rn'), 'app.mjs');
  await esbuild.build({
    ...linkOptions(entry, out),
    mainFields: ['react-native', 'browser', 'main'],
    resolveExtensions: ['.ts', '.tsx', '.js', '.jsx', '.json', '.cjs'],
    loader: { '.png': 'empty' },
    plugins: [
      {
        name: 'taro-rn',
        setup(build) {
          build.onResolve({ filter: /^[@a-z]/ }, async (args) => {
            if (args.pluginData?.resolved) return undefined;
            let name = args.path;
            if (inApp(args.importer)) {
              // rn-supporter's resolveRequest, handing the result to Metro's (here: esbuild's).
              name = handleFile({ originModulePath: args.importer }, args.path, 'ios', {}, (_context, moduleName) => moduleName);
              (resolved[args.path] ??= new Set()).add(name);
            }
            if (standIns.has(packageOf(name))) return { path: standIn };
            return build.resolve(name, { kind: args.kind, resolveDir: args.resolveDir, pluginData: { resolved: true } });
          });
          build.onLoad({ filter: /\.jsx?$/ }, (args) => {
            const source = readFileSync(args.path, 'utf8');
            if (inApp(args.path)) {
              const { code } = babel.transformSync(source, rnBabelOptions(args.path));
              record(args.path, code);
              return { contents: code, loader: 'js' };
            }
            if (!/^\s*(import|export)\b/m.test(source)) return undefined;
            return { contents: babel.transformSync(source, { filename: args.path, ...commonJs }).code, loader: 'jsx' };
          });
        },
      },
    ],
  });
  // The entry is CommonJS after babel: its exports are the bundle's default.
  const app = (await import(pathToFileURL(out).href)).default;
  return { app, transformed, resolved };
}

// ------------------------------------------------------------------- HarmonyOS

/** The three ArkUI globals runtime-ets reads while loading, as stand-ins. */
export function installArkUiGlobals() {
  const inert = require(standIn);
  globalThis.Observed ??= (target) => target;
  globalThis.BorderStyle ??= inert.BorderStyle;
  globalThis.CanvasRenderingContext2D ??= inert.CanvasRenderingContext2D;
}

/**
 * The plugin's copy of Taro's runtime for an app built with NODE_ENV=`mode`:
 * its moveLibraries() writes npm/@tarojs/taro (dist/apis) and
 * npm/@tarojs/runtime (dist/runtime-ets) under `outputRoot`.
 */
export function copyHarmonyRuntime(outputRoot, mode) {
  const helper = require('@tarojs/helper');
  const { HarmonyOS_ArkTS: Harmony } = require('@tarojs/plugin-platform-harmony-ets');
  const before = process.env.NODE_ENV;
  process.env.NODE_ENV = mode;
  try {
    const config = { outputRoot };
    const ctx = { helper, paths: { appPath: here }, onBuildFinish() {}, runOpts: { config }, initialConfig: {} };
    const plugin = new Harmony(ctx, config);
    const targetPath = join(outputRoot, helper.NODE_MODULES);
    const entries = {};
    for (const name of ['@tarojs/taro', '@tarojs/runtime', '@tarojs/plugin-framework-react/dist/runtime']) {
      const dep = plugin.externalDeps.find(([libName]) => libName === name);
      if (!dep) throw new Error(`the harmony plugin no longer maps ${name}`);
      const [libName, pattern, target] = dep;
      plugin.moveLibraries(target || libName, resolve(targetPath, libName), here, !target);
      entries[name] = { pattern, target, dir: join(outputRoot, 'npm', libName) };
    }
    return entries;
  } finally {
    if (before === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = before;
  }
}

/** @tarojs/vite-runner's harmony babel plugins, in their order. */
export function viteHarmonyPlugins(sourceDir = appDir) {
  const helper = require('@tarojs/helper');
  const vitePlugins = require('@tarojs/vite-runner/dist/harmony/babel').default;
  // What vite-runner's compiler context holds for a React app whose source is app/.
  const plugins = vitePlugins({ sourceDir, frameworkExts: ['.jsx', '.tsx', ...helper.SCRIPT_EXT] });
  return async (code, id) => {
    for (const plugin of plugins) {
      const result = await plugin.transform(code, id);
      if (result?.code) code = result.code;
    }
    return code;
  };
}

/** vite-runner's mini defaults for the runtime's ENABLE_* build constants. */
export const harmonyDefines = {
  ENABLE_INNER_HTML: 'true',
  ENABLE_ADJACENT_HTML: 'false',
  ENABLE_SIZE_APIS: 'false',
  ENABLE_TEMPLATE_CONTENT: 'false',
  ENABLE_CLONE_NODE: 'false',
  ENABLE_CONTAINS: 'false',
  ENABLE_MUTATION_OBSERVER: 'false',
};

/** The device's modules (`@ohos.*`, `@system.*`, `@hmscore/*`) resolve to the stand-in. */
export const deviceStandIns = {
  name: 'harmony-device-stand-ins',
  setup(build) {
    build.onResolve({ filter: /^(@ohos\.|@system\.|@hmscore\/)/ }, () => ({ path: standIn }));
  },
};

/**
 * `@werun/harmony` (the HAR, which re-exports libwerun.so's functions) as a
 * module re-exporting werun's Node-API module's getWeRunData, login and
 * checkSession, which the test puts at globalThis.__werunHar.
 */
export const werunHarStandIn = {
  name: 'werun-har-stand-in',
  setup(build) {
    build.onResolve({ filter: /^@werun\/harmony$/ }, () => ({ path: 'har', namespace: 'werun-har' }));
    build.onLoad({ filter: /.*/, namespace: 'werun-har' }, () => ({
      contents: 'const har = globalThis.__werunHar;\nexport const getWeRunData = har.getWeRunData;\nexport const login = har.login;\nexport const checkSession = har.checkSession;\n',
      loader: 'js',
    }));
  },
};

/**
 * esbuild options linking the harmony build's output (`entryPoint`) into
 * `outfile`: the runtime's sources, its build constants and decorators, the
 * device's modules as stand-ins (and `@werun/harmony` with `har`), then
 * `plugins`; `options` adds to or overrides the rest.
 */
export function harmonyLinkOptions(entryPoint, outfile, { plugins = [], har = false, ...options } = {}) {
  return {
    ...linkOptions(entryPoint, outfile),
    resolveExtensions: ['.ts', '.ets', '.js', '.mjs'],
    // vite-runner's mini defaults for the runtime's build constants.
    define: harmonyDefines,
    // runtime-ets uses ArkTS's (TypeScript's) decorators.
    tsconfigRaw: { compilerOptions: { experimentalDecorators: true } },
    ...options,
    plugins: [deviceStandIns, ...(har ? [werunHarStandIn] : []), ...plugins],
  };
}

export async function buildHarmony(mode = 'production') {
  installArkUiGlobals();
  const dir = tempDir(`harmony-${mode}`);
  const outputRoot = join(dir, 'output');
  mkdirSync(outputRoot);
  const entries = copyHarmonyRuntime(outputRoot, mode);
  const transform = viteHarmonyPlugins();
  const { transformed, record } = recorder();
  const out = join(dir, 'app.mjs');
  await esbuild.build(
    harmonyLinkOptions(entry, out, {
      plugins: [
        {
          name: 'taro-harmony',
          setup(build) {
            build.onResolve({ filter: /^[@a-z]/ }, (args) => {
              for (const [name, { pattern, dir: libDir }] of Object.entries(entries)) {
                if (pattern.test(args.path)) return { path: join(libDir, name === '@tarojs/taro' || name === '@tarojs/runtime' ? 'index.ts' : 'index.js') };
              }
              return { errors: [{ text: `${args.path} (from ${args.importer}) is not part of the plugin's output` }] };
            });
            build.onLoad({ filter: /\.js$/ }, async (args) => {
              if (!inApp(args.path)) return undefined;
              const code = await transform(readFileSync(args.path, 'utf8'), args.path);
              record(args.path, code);
              return { contents: code, loader: 'js' };
            });
          },
        },
      ],
    }),
  );
  const app = await import(pathToFileURL(out).href);
  return { app, transformed, outputRoot };
}
