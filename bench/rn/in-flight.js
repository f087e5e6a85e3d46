// What 10 000 getWeRunData calls in flight cost through werun's TurboModule,
// in a werun-rn-host process of its own (bench/rn/compare.mjs runs it three
// times), the counterpart of bench/in-flight.mjs:
//
//   werun-rn-host bench/rn/in-flight.js
//
// The calls wait on a JS host that never answers. Before measuring, 10 000
// calls run to completion, so that the heaps have grown to what such a
// burst needs; then the runtime is collected, the calls are started, and it
// is collected again. Prints one JSON line: the growth of JavaScriptCore's
// heap, of what malloc holds (the core's and the module's records, JSI's
// handles), their sum, and of the resident set, in bytes (__bench.memory()).
// The host then ends the run, tearing the runtime down with the calls in
// flight, and checks that none is left in flight after it.
const werun = globalThis.nativeModuleProxy.WeRun;
const SESSION_KEY = 'tiihtNczf5v6AKRyjwEUhQ==';
const CALLS = 10_000;

// After the tasks queued so far (the hook calls the calls posted).
const settle = () => new Promise((resolve) => setImmediate(resolve));

async function main() {
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

  await settle();
  __bench.collect();
  const before = __bench.memory();
  const inFlight = Array.from({ length: CALLS }, () => werun.getWeRunData());
  await settle();
  __bench.collect();
  const after = __bench.memory();
  const jsHeap = after.jsHeap - before.jsHeap;
  const malloc = after.malloc - before.malloc;
  print(JSON.stringify({ total: jsHeap + malloc, jsHeap, malloc, rss: after.rss - before.rss, calls: inFlight.length }));
  __host.done({ passed: 0, failed: 0 });
}

main().catch((error) => {
  print(`bench failed: ${error instanceof Error ? error.stack : JSON.stringify(error)}`);
  __host.done({ passed: 0, failed: 1 });
});
