// One of the JS round trips of bench/compare.mjs, n times, for
// bench/callgrind-napi.sh to count the instructions of under callgrind:
//
//   node bench/napi/round-trips.mjs <build dir> <measure> <warm-up> <n>
//
// measure: getWeRunData (from JS, the bench's native host answering in its
// hook), cAbi (the same calls through the C ABI alone, on the same context
// and host), checkSession, or floor (the bare Node-API round trip,
// bench/napi/floor.cpp). Each is set up the same way and first runs
// <warm-up> calls, which tier the engine's code up as far as it goes, so
// that the difference between two counts of one measure is its calls alone.
import { createRequire } from 'node:module';
import path from 'node:path';

const [buildDir, measure, warmUp, count] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const werun = require(path.resolve(buildDir, 'werun-bench.node'));
const floor = require(path.resolve(buildDir, 'napi_floor.node'));

werun.configure({ appid: 'wx4f4bc4dec97d474b' });
werun.benchUseNativeHost();
await werun.login();
const runs = {
  getWeRunData: () => werun.getWeRunData(),
  checkSession: () => werun.checkSession(),
  floor: () => floor.roundTrip(),
};
for (const n of [Number(warmUp), Number(count)]) {
  if (measure === 'cAbi') {
    werun.benchCAbiRoundTrip(n);
  } else if (runs[measure]) {
    const run = runs[measure];
    for (let i = 0; i < n; i++) await run();
  } else {
    throw new Error(`unknown measure ${measure}`);
  }
}
