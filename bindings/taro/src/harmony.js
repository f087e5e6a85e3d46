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

/*
 * App source: vite-runner runs babel-plugin-transform-taroapi (its
 * `taro:vite-import-api` plugin, enforce 'post') on files under the source
 * directory. That transform keeps only the default and named specifiers of
 * an `@tarojs/taro` import: a namespace specifier is dropped (the import
 * becomes `import '@tarojs/taro'`), so `import * as Taro` leaves `Taro`
 * unbound. vite-runner's `wx` injection (@rollup/plugin-inject, from
 * build.rollupOptions.plugins, which vite runs before every 'post' plugin)
 * adds exactly such an import (`import * as wx from '@tarojs/taro'`), so a
 * `wx.getWeRunData(…)` in app source is unbound too.
 *
 * This plugin runs on the same files right before that transform (it is
 * placed just ahead of it, also 'post', so after the injection) and turns
 * each namespace import of `@tarojs/taro` into the default import under the
 * same name: the default export carries every API (Taro's index.ts builds
 * it from the module's exports), and the transform leaves `Taro.xxx` on a
 * default import as it is. When the file already imports the default
 * export, the namespace names become aliases of it.
 */
const TARO = '@tarojs/taro';
const IMPORT_API = 'taro:vite-import-api';

/**
 * `code` with every namespace import of `@tarojs/taro` turned into its
 * default import; `program` is its ESTree AST (positions into `code`).
 * Returns undefined when there is none.
 */
function rewriteNamespaceImports(code, program) {
  const imports = program.body.filter((node) => node.type === 'ImportDeclaration' && node.source.value === TARO);
  const namespaces = imports.filter((node) => node.specifiers.some((s) => s.type === 'ImportNamespaceSpecifier'));
  if (!namespaces.length) return undefined;
  let defaultName = imports.flatMap((node) => node.specifiers).find((s) => s.type === 'ImportDefaultSpecifier')?.local.name;
  const edits = [];
  for (const node of namespaces) {
    const own = node.specifiers.find((s) => s.type === 'ImportDefaultSpecifier')?.local.name;
    const names = node.specifiers.filter((s) => s.type === 'ImportNamespaceSpecifier').map((s) => s.local.name);
    const parts = [];
    if (own) parts.push(`import ${own} from '${TARO}';`);
    for (const name of names) {
      if (defaultName === undefined) {
        defaultName = name;
        parts.push(`import ${name} from '${TARO}';`);
      } else {
        parts.push(`const ${name} = ${defaultName};`);
      }
    }
    edits.push([node.start, node.end, parts.join(' ')]);
  }
  for (const [start, end, text] of edits.sort((a, b) => b[0] - a[0])) code = code.slice(0, start) + text + code.slice(end);
  return code;
}

/** The files vite-runner's taroapi plugin transforms: under sourceDir, with a script extension. */
function isAppSource(id, { sourceDir, exts }) {
  return id.startsWith(sourceDir) && exts.some((ext) => id.includes(ext));
}

function namespacePlugin({ sourceDir, exts }) {
  return {
    name: 'werun:taro-namespace',
    enforce: 'post',
    transform(code, id) {
      if (!code.includes(TARO) || !isAppSource(id, { sourceDir, exts })) return undefined;
      const next = rewriteNamespaceImports(code, this.parse(code));
      return next === undefined ? undefined : { code: next, map: null };
    },
  };
}

/**
 * Puts `plugin` right before vite-runner's taroapi plugin, in the (nested)
 * plugin array that holds it. Throws when it is not there.
 */
function insertBeforeImportApi(plugins, plugin) {
  const visit = (list) => {
    for (let i = 0; i < list.length; i += 1) {
      if (Array.isArray(list[i])) {
        if (visit(list[i])) return true;
      } else if (list[i]?.name === IMPORT_API) {
        list.splice(i, 0, plugin);
        return true;
      }
    }
    return false;
  };
  if (!visit(plugins)) {
    throw new Error(`@werun/taro-plugin: the harmony vite config has no ${IMPORT_API} plugin; this plugin supports @tarojs/vite-runner 4.2.0`);
  }
}

module.exports = {
  PLATFORM,
  NAMES,
  FILES,
  rewriteStubs,
  rewriteCopiedApis,
  vitePlugin,
  rewriteNamespaceImports,
  namespacePlugin,
  insertBeforeImportApi,
};
