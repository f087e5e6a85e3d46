// The assertions the conformance suites use: node:assert/strict's names and
// semantics, on chai, so the same suites run under Node (the HarmonyOS
// module) and in a bare JSI runtime (the React Native module), where
// node:assert does not exist.
import { assert as chai } from 'chai';

/**
 * Checks a thrown or rejected value against node:assert's `expected`: a
 * constructor (instanceof), a RegExp (tested against String(value)), an
 * object whose properties must match (a RegExp property is tested against
 * the string), or a function that returns true.
 */
function check(actual, expected, message) {
  const prefix = message ? `${message}: ` : '';
  if (expected === undefined) return;
  if (typeof expected === 'function' && expected.prototype !== undefined && expected !== Object) {
    if (actual instanceof expected) return;
    if (Error.isPrototypeOf(expected) || expected === Error) {
      chai.fail(`${prefix}expected a ${expected.name}, got ${describe(actual)}`);
    }
  }
  if (typeof expected === 'function') {
    chai.isTrue(expected(actual), `${prefix}the validation function refused ${describe(actual)}`);
    return;
  }
  if (expected instanceof RegExp) {
    chai.match(String(actual), expected, prefix);
    return;
  }
  chai.isObject(expected, 'expected must be a constructor, a RegExp, an object or a function');
  chai.ok(actual !== null && actual !== undefined, `${prefix}expected an object, got ${describe(actual)}`);
  for (const [key, want] of Object.entries(expected)) {
    const got = actual[key];
    if (want instanceof RegExp && typeof got === 'string') {
      chai.match(got, want, `${prefix}${key}`);
    } else {
      chai.deepEqual(got, want, `${prefix}${key}`);
    }
  }
}

function describe(value) {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export const assert = {
  ok: (value, message) => chai.ok(value, message),
  equal: (actual, expected, message) => chai.strictEqual(actual, expected, message),
  notEqual: (actual, expected, message) => chai.notStrictEqual(actual, expected, message),
  deepEqual: (actual, expected, message) => chai.deepEqual(actual, expected, message),
  match: (text, pattern, message) => {
    chai.isString(text, message);
    chai.match(text, pattern, message);
  },
  fail: (message) => chai.fail(message),

  throws(run, expected, message) {
    if (typeof expected === 'string') [expected, message] = [undefined, expected];
    let thrown = false;
    let error;
    try {
      run();
    } catch (caught) {
      thrown = true;
      error = caught;
    }
    if (!thrown) chai.fail(`${message ? `${message}: ` : ''}expected a throw`);
    check(error, expected, message);
  },

  async rejects(promise, expected, message) {
    if (typeof expected === 'string') [expected, message] = [undefined, expected];
    const outcome = await Promise.resolve(promise).then(
      (value) => ({ rejected: false, value }),
      (reason) => ({ rejected: true, reason }),
    );
    if (!outcome.rejected) chai.fail(`${message ? `${message}: ` : ''}expected a rejection, got ${describe(outcome.value)}`);
    check(outcome.reason, expected, message);
  },
};
