// react-native-werun's API over werun's Node-API module, which has the same
// functions, types and results as the TurboModule (the shared conformance
// suites hold both to it): the default export is the module, and
// installWeRun is bindings/js's helper bound to it, as src/index.ts binds it.
import { createRequire } from 'node:module';

import { installWeRun as installWeRunWith } from '../../../bindings/js/dist/installWeRun.js';

const werun = createRequire(import.meta.url)('../../../bindings/harmony/build/werun.node');

export default werun;
export const installWeRun = (taro) => installWeRunWith(taro, werun);
