// Shared by the Node tests of werun's Node-API module (build/werun.node,
// built by build-addon.sh): the module, the Node platform the shared
// conformance suites need (bindings/js/conformance), and reset() bound to it.
// The module keeps one werun context per env, so the tests of one file share
// it: each test starts with reset().
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

import { decrypt, encrypt } from '../../js/conformance/cipher-node.mjs';
import { reset as resetModule, turn } from '../../js/conformance/helpers.mjs';

export * from '../../js/conformance/helpers.mjs';

// WERUN_ADDON names another build of the module (tests/run.sh's plain CMake build).
export const werun = createRequire(import.meta.url)(process.env.WERUN_ADDON ?? '../build/werun.node');

/** Puts this env's werun into a known state; see the shared reset(). */
export const reset = (host, settings) => resetModule(werun, host, settings);

/**
 * Runs `run` while recording the process's `event` ('uncaughtException' or
 * 'unhandledRejection') instead of letting it through, and returns what was
 * recorded. node:test's harness listens for both and fails the running test
 * on one; its listeners are set aside meanwhile, as an app's own handler
 * would replace the default.
 */
export async function captureProcessEvent(event, run) {
  const harness = process.listeners(event);
  const caught = [];
  const record = (reason) => caught.push(reason);
  process.removeAllListeners(event);
  process.on(event, record);
  try {
    await run();
    // Unhandled rejections are reported once the microtask queue drains.
    await turn();
  } finally {
    process.off(event, record);
    for (const listener of harness) process.on(event, listener);
  }
  return caught;
}

/** The repo's open-data test vectors. */
export const vectors = JSON.parse(readFileSync(new URL('../../../tests/data/open-data.json', import.meta.url), 'utf8'));

const installWeRunBuild = new URL('../../js/dist/installWeRun.js', import.meta.url);

/** What the conformance suites need from Node; see bindings/js/conformance/index.mjs. */
export const platform = {
  encrypt,
  decrypt,
  base64ByteLength: (text) => Buffer.from(text, 'base64').length,
  vectors,
  captureUncaught: (run) => captureProcessEvent('uncaughtException', run),
  captureUnhandledRejections: (run) => captureProcessEvent('unhandledRejection', run),
  installWeRun: existsSync(installWeRunBuild) ? (await import(installWeRunBuild)).installWeRun : undefined,
};
