// The hybrid bridge's test rig. What stands in for what:
//
// - ArkWeb (the Web component's browser engine) -> Debian's headless
//   Chromium (/usr/bin/chromium), driven by playwright-core. The page is a
//   Taro-hybrid-style app page served from a localhost http server: its
//   entry imports @werun/taro-plugin/hybrid/install first (as the Taro
//   plugin prepends it), then uses `Taro` and werun's page module
//   (bindings/taro/hybrid/index.js) as an app would, resolved by an import
//   map. `@tarojs/taro` is the real one a hybrid build gets: the module
//   @tarojs/plugin-platform-harmony-hybrid 4.1.11 aliases it to
//   (dist/runtime/apis, from tests/taro's install), bundled for the browser
//   by esbuild, as webpack bundles it there.
// - The ArkTS shell -> Node running the shell's own file,
//   bindings/harmony/src/main/ets/WeRunWebProxy.ets, with its types stripped
//   by esbuild (nothing else changed), over the real Node-API module
//   (bindings/harmony/build/werun.node, through
//   bindings/harmony/tests/helpers.mjs). The app's host (login, authorize,
//   getSteps) is JS in Node, as the conformance suites write it.
// - registerJavaScriptProxy -> `window.werunBridge`, made by an init script
//   with the methods of WERUN_PROXY_METHODS: `result` goes through
//   Playwright's exposeBinding (a Promise, as ArkWeb returns a methodList
//   method's Promise), and the others (the three calls' synchronous starts,
//   getAuthorization, setAuthorization, logout) through a synchronous
//   XMLHttpRequest to the test server (a value at once, as ArkWeb returns a
//   methodList method's plain value).
// - The Web component's onPageBegin -> Playwright's `framenavigated` on the
//   main frame, which calls the shell's pageChanged().
//
// Not covered here: ArkWeb itself, its type conversion, and the HAR built by
// hvigor; nothing of this has run on HarmonyOS.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { build, transform } from 'esbuild';
import { chromium } from 'playwright-core';

import { werun } from '../../../harmony/tests/helpers.mjs';

export * from '../../../harmony/tests/helpers.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..', '..');
const hybrid = join(root, 'bindings', 'taro', 'hybrid');

// The page module's vendored installWeRun: needs bindings/js built.
execFileSync(process.execPath, [join(root, 'bindings', 'common', 'vendor.mjs'), 'taro'], { stdio: 'inherit' });

/** The shell's own code: WeRunWebProxy.ets with its types stripped, imported as a module. */
async function loadShell() {
  const source = readFileSync(join(root, 'bindings', 'harmony', 'src', 'main', 'ets', 'WeRunWebProxy.ets'), 'utf8');
  const { code } = await transform(source, { loader: 'ts', format: 'esm', target: 'es2022' });
  const dir = mkdtempSync(join(tmpdir(), 'werun-shell-'));
  const file = join(dir, 'WeRunWebProxy.mjs');
  writeFileSync(file, code);
  try {
    return await import(pathToFileURL(file).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const shellModule = await loadShell();
const { WeRunWebProxy, WERUN_PROXY_NAME, WERUN_PROXY_METHODS } = shellModule;
export { WERUN_PROXY_METHODS, WERUN_PROXY_NAME };

const ASYNC_METHODS = ['result'];
const SYNC_METHODS = WERUN_PROXY_METHODS.filter((name) => !ASYNC_METHODS.includes(name));

/**
 * What the real module throws for these arguments, in Node: the sentence the
 * page must throw too (so the tests hold no copy of js_api.h's sentences).
 */
export function moduleThrows(api, ...args) {
  try {
    werun[api](...args);
  } catch (error) {
    return { error: error.name, message: error.message };
  }
  throw new Error(`werun.${api}(${args.map(String).join(', ')}) did not throw`);
}

/** Every reply text the shell handed the page, and every stale result it dropped. */
export const traffic = { replies: [], stale: [] };

/** The shell, as the app's ArkTS page makes it, over the real module. */
export const shell = new WeRunWebProxy(werun, (api, res) => traffic.stale.push({ api, res }));

const answer = async (method, arg) => {
  const text = await (arg === undefined ? shell[method]() : shell[method](arg));
  traffic.replies.push({ method, text });
  return text;
};

// The page: an app entry as a Taro hybrid build has it (the plugin's install
// import first), and test helpers that observe calls inside the page.
const APP = `
import '@werun/taro-plugin/hybrid/install';
import Taro from '@tarojs/taro';
import werun, { createWeRun } from '@werun/taro-plugin/hybrid';

const targets = { Taro, werun };
const plain = (value) =>
  value instanceof Error ? { error: value.name, message: value.message } : value;

// As the conformance suites' observe(): callbacks that record their order,
// then how the promise settled. throwIn names a callback that throws.
window.observeCall = async (via, api, throwIn) => {
  const order = [];
  const values = [];
  const record = (name) => (value) => {
    order.push(name);
    values.push(value);
    if (throwIn === name) throw new Error(name + ' threw');
  };
  let promise;
  try {
    promise = targets[via][api]({ success: record('success'), fail: record('fail'), complete: record('complete') });
  } catch (error) {
    return { threw: plain(error) };
  }
  const ranBeforeReturn = order.length;
  const [settled, value] = await promise.then((v) => ['resolved', v], (v) => ['rejected', v]);
  order.push(settled);
  values.push(value);
  return {
    order,
    ranBeforeReturn,
    settled,
    value: plain(value),
    isError: value instanceof Error,
    same: values.every((v) => v === value),
    keys: value !== null && typeof value === 'object' ? Object.keys(value) : null,
  };
};

// Runs targets[via][api](...args) and reports what it returned, resolved,
// rejected or threw.
window.attempt = async (via, api, ...args) => {
  try {
    const result = targets[via][api](...args);
    if (!(result instanceof Promise)) return { returned: plain(result) };
    return await result.then((v) => ({ resolved: plain(v) }), (v) => ({ rejected: plain(v), isError: v instanceof Error }));
  } catch (error) {
    return error.errMsg === undefined ? { threw: plain(error) } : { threw: plain(error), errMsg: error.errMsg };
  }
};

window.createWeRun = createWeRun;
window.appReady = true;
`;

// What a hybrid build's `import Taro from '@tarojs/taro'` gets: the hybrid
// plugin's alias target (its apiLibrary, dist/runtime/apis), from the Taro
// packages tests/taro installs, bundled for the browser with the build's
// environment. Its default export carries none of the three calls: the
// taroapi transform normally turns them into named imports, and with werun's
// plugin they stay on the default export, where install.js puts werun's.
const taroModules = join(root, 'tests', 'taro', 'node_modules');
const { outputFiles: [realTaro] } = await build({
  stdin: {
    contents: "export { default } from '@tarojs/plugin-platform-harmony-hybrid/dist/runtime/apis';\n",
    resolveDir: taroModules,
    loader: 'js',
  },
  bundle: true,
  format: 'esm',
  platform: 'browser',
  write: false,
  logLevel: 'error',
  define: {
    'process.env.TARO_ENV': '"harmony-hybrid"',
    'process.env.TARO_PLATFORM': '"web"',
    'process.env.NODE_ENV': '"production"',
  },
});

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>werun hybrid page</title>
<script type="importmap">{"imports": {
  "@tarojs/taro": "/taro.js",
  "@werun/taro-plugin/hybrid": "/hybrid/index.js",
  "@werun/taro-plugin/hybrid/install": "/hybrid/install.js"
}}</script>
<script type="module" src="/app.js"></script>
</head><body>werun</body></html>`;

// registerJavaScriptProxy's stand-in. Skipped for ?noproxy (a plain browser).
const proxyInit = ({ name, asyncMethods, syncMethods }) => {
  if (location.search.includes('noproxy')) return;
  const received = [];
  window.__received = received;
  const proxy = {};
  for (const method of asyncMethods) {
    proxy[method] = (arg) =>
      window.__werunBridgeAsync(method, arg).then((text) => {
        received.push(text);
        return text;
      });
  }
  for (const method of syncMethods) {
    proxy[method] = (arg) => {
      const request = new XMLHttpRequest();
      request.open('POST', `/bridge/${method}`, false);
      request.send(arg === undefined ? null : JSON.stringify(arg));
      received.push(request.responseText);
      return request.responseText;
    };
  }
  window[name] = proxy;
};

const TYPES = { '.js': 'text/javascript; charset=utf-8', '.html': 'text/html; charset=utf-8' };

function serve() {
  const server = createServer(async (request, response) => {
    const url = new URL(request.url, 'http://localhost');
    const send = (status, type, body) => {
      response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      response.end(body);
    };
    if (url.pathname === '/') return send(200, TYPES['.html'], PAGE);
    if (url.pathname === '/app.js') return send(200, TYPES['.js'], APP);
    if (url.pathname === '/taro.js') return send(200, TYPES['.js'], realTaro.text);
    if (url.pathname.startsWith('/hybrid/')) {
      const file = normalize(join(hybrid, url.pathname.slice('/hybrid/'.length)));
      if (!file.startsWith(hybrid) || extname(file) !== '.js') return send(404, 'text/plain', 'not found');
      try {
        return send(200, TYPES['.js'], readFileSync(file));
      } catch {
        return send(404, 'text/plain', 'not found');
      }
    }
    const bridge = /^\/bridge\/(\w+)$/.exec(url.pathname);
    if (bridge && request.method === 'POST' && SYNC_METHODS.includes(bridge[1])) {
      let body = '';
      for await (const chunk of request) body += chunk;
      return send(200, 'application/json', await answer(bridge[1], body === '' ? undefined : JSON.parse(body)));
    }
    return send(404, 'text/plain', 'not found');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Starts the server and Chromium; returns { page, origin, pageErrors, close }. */
export async function openBrowser() {
  const server = await serve();
  const origin = `http://127.0.0.1:${server.address().port}`;
  const userDataDir = mkdtempSync(join(tmpdir(), 'werun-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  await context.exposeBinding('__werunBridgeAsync', (_source, method, arg) => {
    if (!ASYNC_METHODS.includes(method)) throw new Error(`${method} is not registered`);
    return answer(method, arg ?? undefined);
  });
  await context.addInitScript(proxyInit, { name: WERUN_PROXY_NAME, asyncMethods: ASYNC_METHODS, syncMethods: SYNC_METHODS });
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  // The Web component's onPageBegin.
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) shell.pageChanged();
  });
  const load = async (query = '') => {
    await page.goto(`${origin}/${query}`);
    await page.waitForFunction(() => window.appReady === true);
  };
  await load();
  return {
    page,
    load,
    pageErrors,
    close: async () => {
      await context.close();
      await new Promise((resolve) => server.close(resolve));
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
