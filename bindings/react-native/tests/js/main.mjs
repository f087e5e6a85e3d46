// The React Native binding's test bundle, run by werun-rn-host (one runtime
// per phase; see tests/host/main.cpp):
// - phase 0: the shared conformance suites and the TurboModule's own cases,
//   then a reload with calls in flight and results posted but not yet
//   delivered;
// - phase 1: a reloaded runtime has a fresh, unconfigured module that works;
//   then a reload with calls in flight;
// - phase 2: the same fresh-module checks, then the end.
// Any callback of a call cut off by a reload prints "not ok": none may run.
import './globals.mjs';
import { runConformance } from '../../../js/conformance/index.mjs';
import { assert } from '../../../js/conformance/assert.mjs';
import {
  APPID,
  SESSION_KEY,
  checkUnconfiguredReport,
  hangingHost,
  nowSeconds,
  turn,
  unconfiguredReport,
} from '../../../js/conformance/helpers.mjs';
import werun from 'react-native-werun';
import { beforeEach, describe, run, test } from './harness.mjs';
import { platform, uncaughtErrors } from './platform.mjs';
import turboModuleSuite from './turbomodule.mjs';

const phase = __host.phase;

/**
 * Leaves calls waiting on a host that never answers, and, with
 * `undelivered`, that many checkSession results posted to the JS thread but
 * not yet delivered; resolves how many calls are left in werun.
 */
async function leaveCallsInFlight(undelivered = 0) {
  werun.configure({ appid: APPID, timeoutMs: 600_000 });
  werun.setHostImplementation(hangingHost());
  await werun.login();
  const report = (res) => print(`not ok - a callback ran after its runtime was torn down: ${res.errMsg}`);
  const option = { success: report, fail: report, complete: report };
  for (let i = 0; i < 3; i++) werun.getWeRunData(option).catch(() => {});
  werun.login(option).catch(() => {});
  // Let the hook calls reach the host: the calls are in the core now.
  await turn();
  await turn();
  // werun completes these at once; their results wait in the JS thread's queue.
  for (let i = 0; i < undelivered; i++) werun.checkSession(option).catch(() => {});
  return 4;
}

function freshModuleCases() {
  describe(`after reload ${phase}`, () => {
    test('a fresh module is unconfigured: everything but the decrypt helpers throws a TypeError', () => {
      checkUnconfiguredReport(assert, unconfiguredReport(werun, platform.vectors));
    });

    test('and works once configured', async () => {
      werun.configure({ appid: APPID });
      werun.setHostImplementation({
        login: async () => ({ code: 'code-after-reload', sessionKey: SESSION_KEY }),
        getSteps: async () => [{ timestamp: nowSeconds(), step: 4242 + phase }],
      });
      assert.deepEqual(await werun.login(), { errMsg: 'login:ok', code: 'code-after-reload' });
      const res = await werun.getWeRunData();
      const { stepInfoList } = werun.decryptWeRunData(SESSION_KEY, res.encryptedData, res.iv, APPID);
      assert.equal(stepInfoList.at(-1).step, 4242 + phase);
    });
  });
}

async function main() {
  if (phase === 0) {
    runConformance({ werun, platform, describe, test, beforeEach });
    turboModuleSuite({ werun, describe, test, beforeEach });
  } else {
    freshModuleCases();
  }
  const counts = await run();
  for (const error of uncaughtErrors.splice(0)) {
    counts.failed += 1;
    print(`not ok - uncaught error reported to ErrorUtils: ${error?.stack ?? String(error)}`);
  }
  print(`# phase ${phase}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  if (phase < 2) {
    const inFlight = await leaveCallsInFlight(phase === 0 ? 5 : 0);
    __host.done({ ...counts, reload: true, inFlight });
  } else {
    __host.done(counts);
  }
}

main().catch((error) => {
  print(`not ok - the test bundle failed: ${error?.stack ?? String(error)}`);
  __host.done({ passed: 0, failed: 1 });
});
