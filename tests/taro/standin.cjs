// The stand-in for what only a device has (react-native and native packages
// on React Native, @ohos.* modules and ArkUI globals on HarmonyOS): one
// inert object. Every member is another inert object, callable and
// constructible, so a module that reads `Dimensions.get('window').width` or
// `display.getDefaultDisplaySync()` while loading gets a value; it is 0 as a
// number and is not a thenable. None of the APIs under test reach it.
function inert(name) {
  const members = new Map();
  const self = new Proxy(function standIn() {}, {
    get(_target, key) {
      if (key === Symbol.toPrimitive) return () => 0;
      if (key === 'then' || key === '__esModule' || typeof key === 'symbol') return undefined;
      if (key === 'default') return self;
      if (!members.has(key)) members.set(key, inert(`${name}.${key}`));
      return members.get(key);
    },
    apply: () => inert(`${name}()`),
    construct: () => inert(`new ${name}`),
  });
  return self;
}

module.exports = inert('standIn');
