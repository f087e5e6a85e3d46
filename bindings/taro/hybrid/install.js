/*
 * @werun/taro-plugin/hybrid/install: imported for its effect, first thing in
 * a harmony-hybrid app's entry (the Taro plugin prepends it). Puts werun's
 * getWeRunData, login and checkSession, over the ArkWeb proxy (./index.js),
 * on @tarojs/taro's default export with the shared installWeRun
 * (bindings/js/src/installWeRun.ts, vendored as ./vendor/installWeRun.js by
 * `node bindings/common/vendor.mjs taro`). With the plugin, the app's
 * `Taro.getWeRunData()` and the names Taro's taroapi transform would have
 * rewritten reach werun's: the hybrid runtime's default export has none of
 * the three (the transform would have imported Taro's H5 stubs by name).
 */
import Taro from '@tarojs/taro';

import werun from './index.js';
import { installWeRun } from './vendor/installWeRun.js';

installWeRun(Taro, werun);
