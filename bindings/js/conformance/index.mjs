/*
 * werun's JS conformance suites: one set of test cases that both JS bindings
 * must pass, run under Node.js against the HarmonyOS Node-API module
 * (bindings/harmony/tests/conformance.test.mjs) and in a JSI runtime against
 * the React Native TurboModule (bindings/react-native/tests/js/main.mjs), so
 * the two cannot drift apart.
 *
 * runConformance({ werun, platform, describe, test, beforeEach }) defines
 * every case with the runner's describe/test/beforeEach (node:test's, or the
 * JSI host's). `werun` is the module under test. `platform` supplies what the
 * language alone does not:
 * - encrypt(sessionKey, plaintext) -> { encryptedData, iv } and
 *   decrypt(sessionKey, encryptedData, iv) -> plaintext: WeChat's open-data
 *   algorithm implemented independently of werun;
 * - base64ByteLength(text);
 * - vectors: tests/data/open-data.json, parsed;
 * - captureUncaught(run): runs `run` and resolves what it made the engine
 *   report as an uncaught exception, instead of letting it through;
 * - captureUnhandledRejections(run), where the engine reports them;
 * - installWeRun(taro, werun), where it is built;
 * - bigIntUnreadable: a reason, where the runtime cannot hand a BigInt to
 *   native code at all (the cases that need one are skipped).
 * The cases also use setTimeout and setImmediate.
 */
import callsSuite from './calls.mjs';
import hostSuite from './host.mjs';
import lifecycleSuite from './lifecycle.mjs';
import roundTripSuite from './roundtrip.mjs';

export const suites = { calls: callsSuite, host: hostSuite, lifecycle: lifecycleSuite, roundtrip: roundTripSuite };

export function runConformance(context) {
  for (const [name, suite] of Object.entries(suites)) {
    context.describe(name, () => suite(context));
  }
}
