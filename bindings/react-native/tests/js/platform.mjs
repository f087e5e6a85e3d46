// What the conformance suites need (see bindings/js/conformance/index.mjs),
// in a bare JSI runtime: crypto-js for an implementation of WeChat's
// open-data algorithm independent of werun, React Native's ErrorUtils for
// uncaught errors, and the test vectors bundled in.
import CryptoJS from 'crypto-js';

import vectors from '../../../../tests/data/open-data.json';
import { installWeRun } from 'react-native-werun';
import { cryptoJsCipher } from '../../../js/conformance/cipher-crypto-js.mjs';
import { turn } from '../../../js/conformance/helpers.mjs';

// Test IVs only: a JSI runtime has no crypto.getRandomValues, which
// crypto-js needs for its own random IVs.
function testIv() {
  const words = Array.from({ length: 4 }, () => Math.floor(Math.random() * 2 ** 32) | 0);
  return CryptoJS.lib.WordArray.create(words, 16);
}
const cipher = cryptoJsCipher(CryptoJS, testIv);
const { Base64 } = CryptoJS.enc;

/**
 * React Native's ErrorUtils (its error-guard polyfill's API), which the
 * TurboModule reports a throwing callback to, as React Native does for any
 * uncaught JS error. The default handler records the error; the run fails
 * if any was recorded.
 */
export const uncaughtErrors = [];
let globalHandler = (error) => uncaughtErrors.push(error);
globalThis.ErrorUtils = {
  setGlobalHandler: (handler) => {
    globalHandler = handler;
  },
  getGlobalHandler: () => globalHandler,
  reportError: (error) => globalHandler(error, false),
  reportFatalError: (error) => globalHandler(error, true),
};

export const platform = {
  encrypt: cipher.encrypt,
  decrypt: cipher.decrypt,
  base64ByteLength: (text) => Base64.parse(text).sigBytes,
  vectors,
  async captureUncaught(run) {
    const caught = [];
    const previous = globalThis.ErrorUtils.getGlobalHandler();
    globalThis.ErrorUtils.setGlobalHandler((error) => caught.push(error));
    try {
      await run();
      await turn();
    } finally {
      globalThis.ErrorUtils.setGlobalHandler(previous);
    }
    return caught;
  },
  // JavaScriptCore reports unhandled rejections only to a C API callback
  // that JSCRuntime does not expose; the cases that use this skip that part.
  captureUnhandledRejections: undefined,
  // React Native's JSCRuntime aborts the process when native code reads any
  // BigInt (JSCRuntime::createValue has no case for it); Hermes reads them.
  bigIntUnreadable: "React Native's JSCRuntime aborts on reading a BigInt",
  // The package's installWeRun(Taro) is bound to the module under test.
  installWeRun: (taro) => installWeRun(taro),
};
