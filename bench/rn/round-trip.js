// Round trips through werun's TurboModule against the floor, timed side by
// side in one runtime of the benchmark's werun-rn-host (bench/rn/compare.sh
// builds it; bench/rn/bench_host.inc adds `__bench`):
//
//   werun-rn-host bench/rn/round-trip.js
//
// with `globalThis.iterations` and `rounds` set by a first script line
// (bench/rn/compare.mjs writes it). Rounds alternate between the measures,
// so that a noisy stretch of the machine falls on all of them; each figure
// is the median of its rounds. Prints one JSON line of ns per call:
// - checkSession: await checkSession(), which the core completes inside the
//   call; the result hops back through the CallInvoker.
// - login: await login() with a JS host whose login hook answers at once:
//   one hook call on the JS thread (its answer read through Promise.resolve
//   and then), then the result's hop.
// - floor: await __bench.floor().
const werun = globalThis.nativeModuleProxy.WeRun;
const SESSION_KEY = 'tiihtNczf5v6AKRyjwEUhQ==';

async function timeRound(run) {
  const start = __bench.nowNs();
  for (let i = 0; i < iterations; i++) await run();
  return (__bench.nowNs() - start) / iterations;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main() {
  werun.configure({ appid: 'wx4f4bc4dec97d474b' });
  werun.setHostImplementation({ login: () => ({ code: 'code', sessionKey: SESSION_KEY }) });
  const measures = {
    checkSession: () => werun.checkSession(),
    login: () => werun.login(),
    floor: () => __bench.floor(),
  };
  await werun.login();
  // Each answers as expected before it is timed.
  const expected = { checkSession: 'checkSession:ok', login: 'login:ok', floor: 'checkSession:ok' };
  for (const [name, run] of Object.entries(measures)) {
    const { errMsg } = await run();
    if (errMsg !== expected[name]) throw new Error(`${name}: ${errMsg}, not ${expected[name]}`);
  }
  const perCall = Object.fromEntries(Object.keys(measures).map((name) => [name, []]));
  for (let round = 0; round <= rounds; round++) {
    for (const [name, run] of Object.entries(measures)) {
      const ns = await timeRound(run);
      if (round > 0) perCall[name].push(ns); // round 0 warms up
    }
  }
  print(JSON.stringify(Object.fromEntries(Object.entries(perCall).map(([name, ns]) => [name, median(ns)]))));
  __host.done({ passed: 0, failed: 0 });
}

main().catch((error) => {
  print(`bench failed: ${error instanceof Error ? error.stack : JSON.stringify(error)}`);
  __host.done({ passed: 0, failed: 1 });
});
