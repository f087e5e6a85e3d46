// Every form of page code in the app's source, for a real vite build
// (vite.mjs); `lib` is the node_modules library the test writes.
import Taro from '@tarojs/taro';
import * as lib from 'werun-fixture-lib';

export { Taro, lib };
export { page as defaultImport } from './pages/default-import.js';
export { page as namedImport } from './pages/named-import.js';
export { page as namespaceImport } from './pages/namespace-import.js';
export { page as wxGlobal } from './pages/wx-global.js';
export { page as etsPage } from './pages/named-import.ets';
