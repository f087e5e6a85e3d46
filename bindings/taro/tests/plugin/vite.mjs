// A real vite build (vite 4.5.9, vite-runner 4.2.0's peer) of the app's page
// forms with the plugins `taro build --type harmony` configured (kernel.mjs),
// then linked and run under Node as link.mjs does.
//
// vite.resolveConfig resolves the whole vite config the harmony build
// produces: vite-runner's harmony plugins (its config plugin's `config` hook
// adds build.rollupOptions.plugins: @rollup/plugin-inject with `wx`, the
// app's babel, …), the harmony-ets plugin's and werun's, sorted by vite
// (enforce pre / normal / post, rollupOptions.plugins among vite's own
// build plugins). vite.build then bundles app/source-forms.js (copied under
// the app's sourceDir, where vite-runner's taroapi plugin applies) with the
// plugins that touch `@tarojs/taro`, taken by name from that resolved
// config, in vite's own order: vite-runner's two babel plugins (its
// rename-import pass, its taroapi pass `taro:vite-import-api`), the
// harmony-ets plugin's resolveId (`taro:vite-harmony-external`, which makes
// the Taro runtime an external in the output's npm/), its `inject`, and
// werun's. vite-runner's other plugins (its pages, entries, ets and emit
// pipeline, which write an ArkTS project) and the app's babel are left out.
// esbuild then links vite's output with the runtime copy (no transforms).
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { harmonyLinkOptions, installArkUiGlobals } from '../../../../tests/taro/build.mjs';
import { here, require } from './kernel.mjs';
import { writeLibrary } from './link.mjs';

const vite = require('vite');
const esbuild = require('esbuild');

/** Names of the plugins the vite build runs, as vite resolved them. */
const TOUCHING_TARO = new Set(['', 'taro:vite-harmony-external', 'werun:harmony-apis', 'inject', 'werun:taro-namespace', 'taro:vite-import-api']);

/** The vite config the harmony build resolves to (vite.resolveConfig, command build). */
export async function resolveHarmonyConfig(built) {
  return vite.resolveConfig({ ...built.viteConfig, root: built.appPath, logLevel: 'silent' }, 'build', 'production', 'production');
}

export async function viteBuildApp(built) {
  installArkUiGlobals();
  const resolved = await resolveHarmonyConfig(built);
  const picked = resolved.plugins.filter((plugin) => TOUCHING_TARO.has(plugin.name));
  const inject = picked.find((plugin) => plugin.name === 'inject');
  if (!inject) throw new Error("the resolved harmony config has no @rollup/plugin-inject (vite-runner's wx)");
  const sourceDir = built.compilerContext.sourceDir;
  const pageDir = join(sourceDir, 'werun-forms');
  cpSync(join(here, 'app'), pageDir, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'werun-taro-plugin-vite-'));
  writeLibrary(dir);
  const outDir = join(dir, 'vite-out');
  // vite orders them again as it resolved them: inject stays among its build plugins.
  const userPlugins = picked.filter((plugin) => plugin !== inject);
  await vite.build({
    configFile: false,
    root: built.appPath,
    logLevel: 'silent',
    mode: 'production',
    plugins: userPlugins,
    resolve: { alias: { 'werun-fixture-lib': join(dir, 'node_modules/werun-fixture-lib/index.js') } },
    build: {
      outDir,
      emptyOutDir: true,
      minify: false,
      target: 'esnext',
      lib: { entry: join(pageDir, 'source-forms.js'), formats: ['es'], fileName: () => 'app.mjs' },
      rollupOptions: { plugins: [inject] },
    },
  });
  const viteOut = join(outDir, 'app.mjs');
  const viteOutput = readFileSync(viteOut, 'utf8');
  const out = join(dir, 'app.mjs');
  await esbuild.build(
    harmonyLinkOptions(viteOut, out, {
      har: true,
      plugins: [
        {
          name: 'taro-harmony-output',
          setup(build) {
            // vite's output imports the runtime copies by their directory (the harmony plugin's externals).
            build.onResolve({ filter: /^(\/|\.)/ }, async (args) => {
              if (args.pluginData?.resolved || args.importer !== viteOut) return undefined;
              for (const index of ['index.ts', 'index.js']) {
                const result = await build.resolve(`./${index}`, { kind: args.kind, resolveDir: join(args.resolveDir, args.path), pluginData: { resolved: true } });
                if (!result.errors.length) return result;
              }
              return undefined;
            });
          },
        },
      ],
    }),
  );
  const app = await import(pathToFileURL(out).href);
  return { app, viteOutput, resolved };
}
