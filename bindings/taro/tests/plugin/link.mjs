// Links the app (app/) against what `taro build --type harmony` wrote
// (kernel.mjs) and loads it under Node, as tests/taro/build.mjs does for
// its app; esbuild only links:
//   - app/ files go through vite-runner's harmony babel plugins
//     (tests/taro/build.mjs viteHarmonyPlugins: its taroapi transform), as
//     vite-runner runs them on files under sourceDir;
//   - every module goes through @rollup/plugin-inject with vite-runner's
//     `wx` mapping (dist/harmony/config.js getInjectOption:
//     `wx: ['@tarojs/taro', '*']`);
//   - `@tarojs/taro` and the other Taro packages resolve where the harmony
//     plugin's own resolveId (taro:vite-harmony-external, from the vite
//     config) sends them: the copies in <outputRoot>/npm;
//   - `@werun/harmony` (the HAR, which re-exports libwerun.so's functions)
//     stands in as a module re-exporting werun's Node-API module's
//     getWeRunData, login and checkSession (globalThis.__werunHar);
//   - @ohos.* and the ArkUI globals stand in as in tests/taro.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { harmonyLinkOptions, installArkUiGlobals, viteHarmonyPlugins } from '../../../../tests/taro/build.mjs';
import { here, require } from './kernel.mjs';

const esbuild = require('esbuild');
const acorn = require('acorn');
const inject = require('@rollup/plugin-inject');

export const appDir = join(here, 'app');

/** vite-runner's `wx` injection, read from its config so a change shows. */
export function wxInjection() {
  const config = readFileSync(require.resolve('@tarojs/vite-runner/dist/harmony/config.js'), 'utf8');
  if (!/\bwx: \['@tarojs\/taro', '\*'\]/.test(config)) throw new Error("vite-runner no longer injects wx as ['@tarojs/taro', '*']");
  return (inject.default ?? inject)({ wx: ['@tarojs/taro', '*'] });
}

/** A library in node_modules: a named import, a namespace import and wx, untransformed by taroapi. */
export function writeLibrary(dir) {
  const lib = join(dir, 'node_modules/werun-fixture-lib');
  mkdirSync(lib, { recursive: true });
  writeFileSync(join(lib, 'package.json'), JSON.stringify({ name: 'werun-fixture-lib', main: 'index.js', type: 'module' }));
  writeFileSync(
    join(lib, 'index.js'),
    [
      "import { getWeRunData, login, checkSession } from '@tarojs/taro';",
      "import * as Taro from '@tarojs/taro';",
      'export const named = { getWeRunData, login, checkSession };',
      'export const namespace = { getWeRunData: (o) => Taro.getWeRunData(o), login: (o) => Taro.login(o), checkSession: (o) => Taro.checkSession(o) };',
      '/* global wx */',
      'export const wxGlobal = { getWeRunData: (o) => wx.getWeRunData(o), login: (o) => wx.login(o), checkSession: (o) => wx.checkSession(o) };',
      '',
    ].join('\n'),
  );
  return dir;
}

export async function linkHarmony({ viteConfig, outputRoot }) {
  installArkUiGlobals();
  const external = viteConfig.plugins.find((plugin) => plugin.name === 'taro:vite-harmony-external');
  if (!external) throw new Error("the harmony plugin's resolveId is not in the vite config");
  const dir = writeLibrary(mkdtempSync(join(tmpdir(), 'werun-taro-plugin-link-')));
  const transform = viteHarmonyPlugins(appDir);
  const wx = wxInjection();
  const parse = (code) => acorn.parse(code, { ecmaVersion: 'latest', sourceType: 'module' });
  const transformed = {};
  const out = join(dir, 'app.mjs');
  await esbuild.build(
    harmonyLinkOptions(join(appDir, 'index.js'), out, {
      har: true,
      nodePaths: [join(dir, 'node_modules')],
      loader: { '.ets': 'ts' },
      plugins: [
        {
          name: 'taro-harmony-output',
          setup(build) {
            build.onResolve({ filter: /^[@a-z]/ }, async (args) => {
              if (args.pluginData?.resolved) return undefined;
              const mapped = external.resolveId(args.path, args.importer, {});
              if (mapped?.id) {
                for (const index of ['index.ts', 'index.js']) {
                  const result = await build.resolve(`./${index}`, { kind: args.kind, resolveDir: mapped.id, pluginData: { resolved: true } });
                  if (!result.errors.length) return result;
                }
              }
              return build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: { resolved: true } });
            });
            build.onLoad({ filter: /\.(js|ets)$/ }, async (args) => {
              let code = readFileSync(args.path, 'utf8');
              if (args.path.startsWith(appDir + '/')) {
                code = await transform(code, args.path);
                transformed[args.path.slice(appDir.length + 1)] = code;
              }
              // vite's esbuild plugin strips the types before the build plugins (inject) run.
              if (args.path.endsWith('.ets')) code = (await esbuild.transform(code, { loader: 'ts', format: 'esm' })).code;
              const injected = await wx.transform.call({ parse }, code, args.path);
              if (injected?.code) code = injected.code;
              return { contents: code, loader: 'js' };
            });
          },
        },
      ],
    }),
  );
  const app = await import(pathToFileURL(out).href);
  return { app, transformed };
}
