// Everything the tests load, bundled into one module so the pages share one
// Taro, as in an app.
export { Taro } from './app.js';
export { page as defaultImport } from './pages/default-import.js';
export { page as namedImport } from './pages/named-import.js';
export { page as namespaceImport } from './pages/namespace-import.js';
export { page as wxGlobal } from './pages/wx-global.js';
