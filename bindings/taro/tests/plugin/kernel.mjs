// Runs `taro build --type <platform>` through Taro's real kernel
// (@tarojs/service 4.2.0: Config reading the app's config/index.js, Kernel
// loading config.plugins and ordering their hooks, the platform plugin's own
// class), with what is not installed here standing in:
//   - @tarojs/cli: cli-standin.cjs (its build hooks and build command);
//   - the runner the platform plugin loads (its getRunner): for harmony,
//     @tarojs/vite-runner's harmony entry up to vite.build (its real
//     compiler context and harmony plugins make the vite config, it calls
//     config.modifyViteConfig, and vite then runs the platform's and
//     werun's buildStart hooks; no bundling here: vite.mjs runs real vite); for harmony-hybrid,
//     @tarojs/webpack5-runner's H5 chain, reduced to what the hybrid plugin
//     and werun's plugin touch (the app entry, the `script` rule's
//     babelLoader, mainPlugin, htmlWebpackPlugin), then
//     config.modifyWebpackChain, as the runner calls it.
// Installed from tests/taro/package.json; resolved from tests/taro/node_modules.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const here = dirname(fileURLToPath(import.meta.url));
export const root = join(here, '../../../..');
export const taroDir = join(root, 'tests/taro');
export const require = createRequire(join(taroDir, 'package.json'));
export const pluginPath = join(root, 'bindings/taro');
const cliStandIn = join(here, 'cli-standin.cjs');

/** A Taro app directory whose config/index.js is `config`. */
function appWithConfig(label, config, { page = false } = {}) {
  const appPath = mkdtempSync(join(tmpdir(), `werun-taro-plugin-${label}-`));
  mkdirSync(join(appPath, 'config'));
  mkdirSync(join(appPath, 'src'));
  writeFileSync(join(appPath, 'src/app.config.js'), `export default { pages: ${page ? "['pages/index/index']" : '[]'} }\n`);
  if (page) {
    // What vite-runner's compiler context reads: the app and its one page.
    mkdirSync(join(appPath, 'src/pages/index'), { recursive: true });
    writeFileSync(join(appPath, 'src/app.js'), 'export default function App({ children }) { return children }\n');
    writeFileSync(join(appPath, 'src/pages/index/index.config.js'), 'export default {}\n');
    writeFileSync(join(appPath, 'src/pages/index/index.js'), 'export default function Index() { return null }\n');
  }
  writeFileSync(join(appPath, 'config/index.js'), `module.exports = ${JSON.stringify(config, null, 2)};\n`);
  // The app's dependencies: Taro's packages as tests/taro installs them (the
  // harmony plugin resolves what it copies from the app).
  symlinkSync(join(taroDir, 'node_modules'), join(appPath, 'node_modules'), 'dir');
  return appPath;
}

/** Replaces `Class.prototype.getRunner` with `runner` while `run` runs. */
async function withRunner(Class, runner, run) {
  const own = Object.getOwnPropertyDescriptor(Class.prototype, 'getRunner');
  Class.prototype.getRunner = async function getRunner() {
    return runner.bind(null, this.ctx.paths.appPath);
  };
  try {
    return await run();
  } finally {
    if (own) Object.defineProperty(Class.prototype, 'getRunner', own);
    else delete Class.prototype.getRunner;
  }
}

async function build(platform, appPath, { mode = 'production' } = {}) {
  const { Kernel, Config } = require('@tarojs/service');
  const saved = { NODE_ENV: process.env.NODE_ENV, TARO_ENV: process.env.TARO_ENV };
  // What the CLI sets before it builds.
  process.env.NODE_ENV = mode;
  process.env.TARO_ENV = platform;
  try {
    const config = new Config({ appPath, disableGlobalConfig: true });
    await config.init({ mode, command: 'build' });
    if (!config.isInitSuccess) throw new Error(`Taro could not read ${appPath}/config/index.js`);
    const kernel = new Kernel({ appPath, presets: [cliStandIn], plugins: [], config });
    await kernel.run({ name: 'build', opts: { _: ['build'], options: { platform, isWatch: false, args: {} }, isHelp: false } });
    return kernel;
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

/**
 * `taro build --type harmony` of an app whose config.plugins are
 * @tarojs/plugin-platform-harmony-ets and, if `withWerun`, werun's plugin.
 * Returns the vite config as vite would build it, and the output's root.
 */
export async function buildHarmonyEts({ withWerun = true, mode = 'production', pluginOptions } = {}) {
  const platformPlugin = require.resolve('@tarojs/plugin-platform-harmony-ets');
  const projectPath = mkdtempSync(join(tmpdir(), 'werun-taro-plugin-hap-'));
  const werun = pluginOptions ? [pluginPath, pluginOptions] : pluginPath;
  const appPath = appWithConfig('harmony', {
    projectName: 'werun-plugin-test',
    framework: 'react',
    compiler: 'vite',
    sourceRoot: 'src',
    outputRoot: 'dist',
    // werun's plugin first: its hooks must run after the platform's anyway.
    plugins: withWerun ? [werun, platformPlugin] : [platformPlugin],
    harmony: { projectPath, hapName: 'entry', ohPackage: { dependencies: { '@werun/harmony': '^0.1.0' } } },
  }, { page: true });
  const { HarmonyOS_ArkTS } = require('@tarojs/plugin-platform-harmony-ets');
  let viteConfig;
  let runnerPlugins;
  let compilerContext;
  let calls = 0;
  const viteRunner = async (runnerAppPath, taroConfig) => {
    // vite-runner's index.harmony: its compiler context and its harmony
    // plugins (dist/harmony: config, babel's taroapi pass, …)…
    const { TaroCompilerContext } = require('@tarojs/vite-runner/dist/utils/compiler/harmony');
    const harmonyPlugins = require('@tarojs/vite-runner/dist/harmony').default;
    // It reads the app's config files with @swc/core, which caches its plugin
    // under the working directory's .swc/: the app's, as under the CLI.
    const cwd = process.cwd();
    process.chdir(runnerAppPath);
    let compiler;
    try {
      compiler = new TaroCompilerContext(runnerAppPath, taroConfig);
    } finally {
      process.chdir(cwd);
    }
    compiler.loaderMeta ??= {};
    const runnerList = harmonyPlugins(compiler);
    runnerPlugins = new Set(runnerList.flat(Infinity));
    viteConfig = { plugins: [runnerList] };
    compilerContext = compiler;
    // …calls modifyViteConfig without awaiting it…
    const { componentConfig } = require('@tarojs/vite-runner/dist/utils/component');
    taroConfig.modifyViteConfig?.(viteConfig, { componentConfig }, compiler);
    // …then vite.build resolves the config over several turns before any
    // plugin's buildStart runs; the hooks are settled by then.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const pluginContext = {
      getModuleInfo: () => ({ meta: { viteCompilerContext: compiler } }),
      load: async () => ({ meta: { viteCompilerContext: compiler } }),
    };
    // The platform's and werun's buildStart (vite-runner's own are not run).
    for (const plugin of viteConfig.plugins.flat()) {
      if (runnerPlugins.has(plugin)) continue;
      calls += 1;
      await plugin.buildStart?.call(pluginContext, {});
    }
  };
  await withRunner(HarmonyOS_ArkTS, viteRunner, () => build('harmony', appPath, { mode }));
  const outputRoot = join(projectPath, 'entry/src/main/ets');
  return { viteConfig, runnerPlugins, compilerContext, outputRoot, appPath, pluginCalls: calls };
}

/**
 * `taro build --type harmony-hybrid` of an app whose config.plugins are
 * @tarojs/plugin-platform-harmony-hybrid and, if `withWerun`, werun's
 * plugin. Returns the webpack chain after config.modifyWebpackChain.
 */
export async function buildHybrid({ withWerun = true } = {}) {
  const platformPlugin = require.resolve('@tarojs/plugin-platform-harmony-hybrid');
  const appPath = appWithConfig('hybrid', {
    projectName: 'werun-plugin-test',
    framework: 'react',
    compiler: 'webpack5',
    sourceRoot: 'src',
    outputRoot: 'dist',
    designWidth: 750,
    deviceRatio: { 750: 1 },
    plugins: withWerun ? [pluginPath, platformPlugin] : [platformPlugin],
  });
  const { H5 } = require('@tarojs/plugin-platform-harmony-hybrid');
  const Chain = require('webpack-chain');
  let chain;
  const webpackRunner = async (_appPath, options) => {
    chain = new Chain();
    for (const [name, files] of Object.entries(options.entry)) for (const file of files) chain.entry(name).add(file);
    chain.module
      .rule('script')
      .test(/\.m?[tj]sx?$/i)
      .use('babelLoader')
      .loader('babel-loader')
      .options({ compact: false });
    chain.plugin('mainPlugin').use(class MainPlugin {}, [{ loaderMeta: undefined }]);
    chain.plugin('htmlWebpackPlugin').use(class HtmlWebpackPlugin {}, [{}]);
    await options.modifyWebpackChain(chain, {}, { componentConfig: {} });
  };
  await withRunner(H5, webpackRunner, () => build('harmony-hybrid', appPath));
  return { chain, appPath };
}
