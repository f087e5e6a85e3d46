/*
 * @werun/taro-plugin: a Taro plugin (config.plugins) that makes Taro's
 * getWeRunData, login and checkSession werun's on HarmonyOS, with no
 * installWeRun call:
 *
 *   // config/index.js
 *   plugins: ['@tarojs/plugin-platform-harmony-ets', '@werun/taro-plugin']
 *
 * - ArkTS builds (`taro build --type harmony`, @tarojs/plugin-platform-harmony-ets
 *   with @tarojs/vite-runner): see harmony.js.
 * - Hybrid builds (`taro build --type harmony-hybrid`,
 *   @tarojs/plugin-platform-harmony-hybrid with webpack): see hybrid.js.
 * - Every other platform: nothing is changed.
 *
 * Both platform plugins register their own modifyViteConfig /
 * modifyWebpackChain hooks while the build sets up, after every plugin in
 * config.plugins was loaded; this plugin's hooks are registered with a late
 * `stage` so that Taro's kernel runs them after the platform's, whatever the
 * order in config.plugins.
 */
'use strict';

const harmony = require('./harmony');
const hybrid = require('./hybrid');

/** After the platform plugins' own hooks (stage 0). */
const STAGE = 100;

/** The platform being built: the CLI's --type, or TARO_ENV. */
function platformOf(ctx) {
  return ctx.runOpts?.options?.platform || process.env.TARO_ENV || '';
}

function werunTaroPlugin(ctx, options = {}) {
  const settings = { ...werunTaroPlugin.defaults, ...options };

  ctx.register({
    name: 'modifyViteConfig',
    stage: STAGE,
    fn({ viteConfig, viteCompilerContext }) {
      if (!settings.harmony || platformOf(ctx) !== harmony.PLATFORM) return;
      const outputRoot = ctx.runOpts?.config?.outputRoot ?? viteCompilerContext?.taroConfig?.outputRoot;
      if (!outputRoot) throw new Error('@werun/taro-plugin: the harmony build has no outputRoot');
      viteConfig.plugins.push(harmony.vitePlugin({ outputRoot, moduleName: settings.harmonyModule }));
      // `import * as Taro` and the injected `wx` in app source (harmony.js).
      const { sourceDir, frameworkExts = [] } = viteCompilerContext ?? {};
      if (!sourceDir) throw new Error("@werun/taro-plugin: vite-runner's compiler context has no sourceDir");
      // As vite-runner's taroapi plugin picks its files (@tarojs/helper's SCRIPT_EXT).
      const exts = [...new Set([...frameworkExts, '.js', '.jsx', '.ts', '.tsx'])];
      harmony.insertBeforeImportApi(viteConfig.plugins, harmony.namespacePlugin({ sourceDir, exts }));
    },
  });

  ctx.register({
    name: 'modifyWebpackChain',
    stage: STAGE,
    fn({ chain }) {
      if (!settings.hybrid || platformOf(ctx) !== hybrid.PLATFORM) return;
      hybrid.modifyChain(chain, { installer: settings.hybridInstaller });
    },
  });
}

werunTaroPlugin.defaults = {
  /** Rewrite the copied Taro runtime's stubs on ArkTS builds. */
  harmony: true,
  /** The ohpm package the rewritten stubs import werun's functions from. */
  harmonyModule: '@werun/harmony',
  /** Change the taroapi list and the entry on hybrid builds. */
  hybrid: true,
  /** The page-side module prepended to every webpack entry on hybrid builds. */
  hybridInstaller: '@werun/taro-plugin/hybrid/install',
};

module.exports = werunTaroPlugin;
module.exports.default = werunTaroPlugin;
module.exports.harmony = harmony;
module.exports.hybrid = hybrid;
module.exports.NAMES = harmony.NAMES;
