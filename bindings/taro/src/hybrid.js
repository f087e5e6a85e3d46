/*
 * Hybrid builds: @tarojs/plugin-platform-harmony-hybrid (H5 in ArkWeb, built
 * by webpack) sets the `script` rule's babel-loader plugins to
 * babel-plugin-transform-taroapi with an `apis` set that names
 * getWeRunData, login and checkSession, so every form of those calls is
 * compiled into an import of Taro's own implementation (taro-h5's stubs,
 * the hybrid's native login). This drops the three from that set, so the
 * calls stay on `@tarojs/taro`'s default export, and prepends the page-side
 * installer (@werun/taro-plugin/hybrid/install, which puts werun's functions
 * on that default export) to every webpack entry, so it runs first.
 */
'use strict';

const { NAMES } = require('./harmony');

const PLATFORM = 'harmony-hybrid';
/**
 * Is babel plugin entry `plugin` the taroapi transform as the hybrid plugin
 * configures it: [babel-plugin-transform-taroapi, { packageName:
 * '@tarojs/taro', apis, definition }]? Recognised by its options, as the
 * plugin is passed as a module object, not by name.
 */
function isTaroApiTransform(plugin) {
  return Array.isArray(plugin) && plugin[1]?.packageName === '@tarojs/taro' && plugin[1].apis != null;
}

function withoutNames(apis) {
  if (apis instanceof Set) return new Set([...apis].filter((name) => !NAMES.includes(name)));
  if (Array.isArray(apis)) return apis.filter((name) => !NAMES.includes(name));
  return apis;
}

function modifyChain(chain, { installer = '@werun/taro-plugin/hybrid/install' } = {}) {
  const script = chain.module.rules.get('script');
  const babelLoader = script?.uses.get('babelLoader');
  if (!babelLoader) throw new Error("@werun/taro-plugin: the hybrid build's webpack chain has no script rule with a babelLoader");
  const options = babelLoader.get('options') ?? {};
  let found = 0;
  const plugins = (options.plugins ?? []).map((plugin) => {
    if (!isTaroApiTransform(plugin)) return plugin;
    found += 1;
    return [plugin[0], { ...plugin[1], apis: withoutNames(plugin[1].apis) }, ...plugin.slice(2)];
  });
  if (!found) throw new Error("@werun/taro-plugin: the hybrid build's babel-loader runs no babel-plugin-transform-taroapi with an apis list");
  babelLoader.set('options', { ...options, plugins });

  for (const entry of chain.entryPoints.values()) {
    if (!entry.has(installer)) entry.prepend(installer);
  }
  return chain;
}

module.exports = { PLATFORM, modifyChain, withoutNames };
