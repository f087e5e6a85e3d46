/*
 * ArkTS builds: @tarojs/plugin-platform-harmony-ets copies Taro's HarmonyOS
 * API module (its dist/apis) into the app's output as
 * <outputRoot>/npm/@tarojs/taro/, and every `@tarojs/taro` import of the app
 * and of its libraries is resolved there, as an external left to hvigor. In
 * that copy, open-api/werun.ts and open-api/login.ts define getWeRunData,
 * login and checkSession as Taro's `temporarilyNotSupport` stubs.
 *
 * This vite plugin rewrites those three definitions in the copy into
 * re-exports of werun's (`export { getWeRunData } from '@werun/harmony'`):
 * its buildStart runs after every modifyViteConfig hook, so after the
 * platform plugin wrote the copy. Every form then binds werun's function:
 * the default export (Taro's index.ts builds it from the module's exports),
 * named imports anywhere, `import * as Taro`, and vite-runner's `wx` global
 * (an injected `import * as wx from '@tarojs/taro'`). Its transform hook does
 * the same to those two files wherever vite loads them itself.
 *
 * A definition that is neither Taro's stub nor this rewrite fails the build:
 * a Taro release that changes them must not silently leave the stubs in.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const PLATFORM = 'harmony';
const NAMES = ['getWeRunData', 'login', 'checkSession'];
/** Which copied file defines which of the three, relative to the copy's root. */
const FILES = {
  'open-api/werun.ts': ['getWeRunData'],
  'open-api/login.ts': ['login', 'checkSession'],
};
const MARK = '// @werun/taro-plugin:';

const stubOf = (name) =>
  new RegExp(`^export const ${name}\\s*=\\s*(?:/\\*\\s*@__PURE__\\s*\\*/\\s*)?temporarilyNotSupport\\(\\s*['"]${name}['"]\\s*\\)\\s*;?[ \\t]*$`, 'm');

/**
 * `code` of a copied file that defines `names` as Taro's stubs, with each
 * stub replaced by a re-export from `moduleName`. Already rewritten code is
 * returned unchanged.
 */
function rewriteStubs(code, names, moduleName = '@werun/harmony', file = 'the copied module') {
  for (const name of names) {
    const reexport = `export { ${name} } from '${moduleName}' ${MARK} ${name} is werun's`;
    if (code.includes(reexport)) continue;
    const stub = stubOf(name);
    if (!stub.test(code)) {
      throw new Error(`@werun/taro-plugin: ${file} no longer defines ${name} as Taro's temporarilyNotSupport stub; this plugin supports @tarojs/plugin-platform-harmony-ets 4.2.0`);
    }
    code = code.replace(stub, reexport);
  }
  return code;
}

/** Rewrites the copy of Taro's API module under `outputRoot`; returns the files it changed. */
function rewriteCopiedApis(outputRoot, moduleName) {
  const root = path.resolve(outputRoot, 'npm', '@tarojs', 'taro');
  const changed = [];
  for (const [file, names] of Object.entries(FILES)) {
    const target = path.join(root, file);
    if (!fs.existsSync(target)) {
      throw new Error(`@werun/taro-plugin: ${target} is missing: @tarojs/plugin-platform-harmony-ets did not copy Taro's API module into the output (is harmony.chorePackagePrefix set? then the runtime comes from that package and is not rewritten)`);
    }
    const code = fs.readFileSync(target, 'utf8');
    const next = rewriteStubs(code, names, moduleName, target);
    if (next !== code) {
      fs.writeFileSync(target, next);
      changed.push(target);
    }
  }
  return changed;
}

/** The file of FILES that `id` is, in the platform plugin's dist/apis or its copy; else undefined. */
function apisFileOf(id) {
  const clean = id.split('?')[0].replace(/\\/g, '/');
  for (const file of Object.keys(FILES)) {
    const copy = new RegExp(`(?:plugin-platform-harmony-ets/dist/apis|/npm/@tarojs/taro)/${file.replace('.', '\\.')}$`);
    if (copy.test(clean)) return file;
  }
  return undefined;
}

function vitePlugin({ outputRoot, moduleName = '@werun/harmony' }) {
  return {
    name: 'werun:harmony-apis',
    enforce: 'pre',
    buildStart() {
      rewriteCopiedApis(outputRoot, moduleName);
    },
    transform(code, id) {
      const file = apisFileOf(id);
      if (!file) return undefined;
      return { code: rewriteStubs(code, FILES[file], moduleName, id), map: null };
    },
  };
}

module.exports = { PLATFORM, NAMES, FILES, rewriteStubs, rewriteCopiedApis, vitePlugin };
