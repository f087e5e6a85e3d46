// A small test runner for the JSI test host, with node:test's describe,
// test and beforeEach, so the shared conformance suites run unchanged in
// both engines. Tests run one at a time, in order; each has a timeout. It
// prints "ok - name" or "not ok - name" with the error, per test.

const DEFAULT_TIMEOUT_MS = 120_000;

const root = { name: '', tests: [], beforeEach: [], parent: null };
let current = root;

export function describe(name, body) {
  const suite = { name, tests: [], beforeEach: [], parent: current };
  current.tests.push({ suite });
  const outer = current;
  current = suite;
  try {
    body();
  } finally {
    current = outer;
  }
}

/** test(name, [options], fn); options.skip (true or a reason) skips it. */
export function test(name, options, fn) {
  if (typeof options === 'function') {
    fn = options;
    options = {};
  }
  current.tests.push({ name, fn, skip: options?.skip ?? false, timeout: options?.timeout ?? DEFAULT_TIMEOUT_MS });
}

export function beforeEach(fn) {
  current.beforeEach.push(fn);
}

function fullName(suite, name) {
  const parts = [name];
  for (let s = suite; s !== null && s.name !== ''; s = s.parent) parts.unshift(s.name);
  return parts.join(' > ');
}

function hooksOf(suite) {
  const hooks = [];
  for (let s = suite; s !== null; s = s.parent) hooks.unshift(...s.beforeEach);
  return hooks;
}

function withTimeout(promise, ms, name) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${name}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function describeError(error) {
  if (error instanceof Error) return `${error.name}: ${error.message}\n${error.stack ?? ''}`;
  return `thrown: ${String(error)}`;
}

async function runSuite(suite, counts) {
  for (const entry of suite.tests) {
    if (entry.suite) {
      await runSuite(entry.suite, counts);
      continue;
    }
    const name = fullName(suite, entry.name);
    if (entry.skip) {
      counts.skipped += 1;
      print(`ok - ${name} # SKIP ${entry.skip === true ? '' : entry.skip}`);
      continue;
    }
    try {
      const run = async () => {
        for (const hook of hooksOf(suite)) await hook();
        await entry.fn();
      };
      await withTimeout(run(), entry.timeout, name);
      counts.passed += 1;
      print(`ok - ${name}`);
    } catch (error) {
      counts.failed += 1;
      print(`not ok - ${name}\n  ${describeError(error).replace(/\n/g, '\n  ')}`);
    }
  }
}

/** Runs every test defined so far, then forgets them; resolves { passed, failed, skipped }. */
export async function run() {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  await runSuite(root, counts);
  root.tests = [];
  root.beforeEach = [];
  return counts;
}
