// What the bundle gets for `import ... from 'react-native'`: the package's
// TurboModuleRegistry, with React Native's own lookup (its
// Libraries/TurboModule/TurboModuleRegistry.js, which is Flow): the legacy
// global.__turboModuleProxy, else NativeModules, which bridgeless React
// Native makes global.nativeModuleProxy.
function requireModule(name) {
  const turboModuleProxy = globalThis.__turboModuleProxy;
  if (turboModuleProxy != null) {
    const module = turboModuleProxy(name);
    if (module != null) return module;
  }
  const legacyModule = globalThis.nativeModuleProxy?.[name];
  return legacyModule ?? null;
}

export const TurboModuleRegistry = {
  get: requireModule,
  getEnforcing(name) {
    const module = requireModule(name);
    if (module == null) {
      throw new Error(
        `TurboModuleRegistry.getEnforcing(...): '${name}' could not be found. ` +
          'Verify that a module by this name is registered in the native binary.',
      );
    }
    return module;
  },
};
