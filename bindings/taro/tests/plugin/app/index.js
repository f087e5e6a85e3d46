// The app's source (sourceDir): every page form, bundled into one module so
// they share one Taro, as in an app. `lib` is a library in node_modules the
// test writes (outside sourceDir, so vite-runner's taroapi transform does
// not see it).
import Taro from '@tarojs/taro';
import { page as etsPage } from './pages/named-import.ets';
import * as lib from 'werun-fixture-lib';

export { Taro, etsPage, lib };
export { page as defaultImport } from './pages/default-import.js';
export { page as namedImport } from './pages/named-import.js';
