// What 10 000 getWeRunData calls in flight cost through the Node-API addon,
// in a process of its own (bench/compare.mjs runs it, three times), so that
// no earlier benchmark's garbage or heap growth is counted or hidden:
//
//   node --expose-gc bench/in-flight.mjs <werun-bench.node>
//
// The calls wait on a JS host that never answers. Before measuring, 10 000
// calls run to completion, so that the engine's heap spaces have grown to
// what such a burst needs; then the process is collected, the calls are
// started, and it is collected again. Prints one JSON line: the growth of
// the JS heap, of what malloc holds (the core's and the module's native
// records: the addon's bench-only benchMallocInUse), their sum, and of the
// resident set (which undercounts: the burst's pages are reused), in bytes.
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const werun = require(path.resolve(process.argv[2]));
const SESSION_KEY = 'tiihtNczf5v6AKRyjwEUhQ==';
const CALLS = 10_000;

werun.configure({ appid: 'wx4f4bc4dec97d474b', timeoutMs: 600_000, maxInFlight: 2 * CALLS });
let answer = true;
werun.setHostImplementation({
  login: async () => ({ code: 'c', sessionKey: SESSION_KEY }),
  authorize: async () => true,
  getSteps: () => (answer ? [] : new Promise(() => {})),
});
await werun.login();
await Promise.all(Array.from({ length: CALLS }, () => werun.getWeRunData()));
answer = false;

const settle = () => new Promise((resolve) => setImmediate(resolve));
// Collected until the resident set stops shrinking: the engine gives back
// what the burst above grew only over a few collections.
let before = process.memoryUsage();
let mallocBefore = werun.benchMallocInUse();
for (let round = 0; round < 10; round++) {
  await settle();
  globalThis.gc();
  const now = process.memoryUsage();
  const shrank = now.rss < before.rss;
  before = now;
  mallocBefore = werun.benchMallocInUse();
  if (!shrank && round >= 2) break;
}
const inFlight = Array.from({ length: CALLS }, () => werun.getWeRunData());
await settle();
globalThis.gc();
const after = process.memoryUsage();
const jsHeap = after.heapUsed - before.heapUsed;
const native = werun.benchMallocInUse() - mallocBefore;
console.log(JSON.stringify({ total: jsHeap + native, jsHeap, native, rss: after.rss - before.rss, calls: inFlight.length }));
// The calls never settle; exit without waiting for them.
process.exit(0);
