// The shared lifecycle suite (configure, timeouts, 1000 concurrent calls,
// callbacks that throw), and what only Node.js has: worker envs, each with
// its own werun context, torn down with calls in flight (results posted and
// not delivered, calls timing out on werun's timer thread meanwhile), kept
// alive by a call in flight and no longer; a fresh env that
// was never configured; and a host answer that could exhaust memory, in a
// capped child process. run.sh also runs this file under valgrind.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { beforeEach, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';

import { suites } from '../../js/conformance/index.mjs';
import { SESSION_KEY, checkUnconfiguredReport, platform, reset, stepsHost, werun } from './helpers.mjs';

const fixture = (name) => new URL(`./fixtures/${name}`, import.meta.url);

/**
 * Starts a fixture worker and returns it with promises of its first message
 * and of its exit code. Both listen from the start: a worker that posts and
 * exits at once may emit 'exit' in the same turn as its last message.
 */
function startWorker(name, workerData) {
  const worker = new Worker(fixture(name), { workerData });
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  const firstMessage = new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`${name} exited with ${code} before posting`)));
  });
  return { worker, firstMessage, exited };
}

describe('lifecycle', () => suites.lifecycle({ werun, platform, describe, test, beforeEach }));

describe('a fresh env', () => {
  beforeEach(() => reset());

  test('is unconfigured: everything but the decrypt helpers throws a TypeError', async () => {
    const { firstMessage, exited } = startWorker('unconfigured-worker.mjs');
    const report = await firstMessage;
    await exited;
    checkUnconfiguredReport(assert, report);
  });
});

describe('worker threads', () => {
  beforeEach(() => reset());

  test('a worker terminated with calls in flight is torn down without a crash or a callback', async () => {
    const runs = [startWorker('in-flight-worker.mjs'), startWorker('in-flight-worker.mjs')];
    const callbacks = [];
    for (const { worker } of runs) {
      worker.on('message', (message) => message !== 'in flight' && callbacks.push(message));
    }
    assert.deepEqual(await Promise.all(runs.map((run) => run.firstMessage)), ['in flight', 'in flight']);
    assert.deepEqual(await Promise.all(runs.map(({ worker }) => worker.terminate())), [1, 1]);
    assert.deepEqual(callbacks, [], 'no callback runs in a torn-down env');
  });

  test('a worker that exits with calls in flight is torn down without a crash', async () => {
    const { worker, firstMessage, exited } = startWorker('in-flight-worker.mjs');
    assert.equal(await firstMessage, 'in flight');
    worker.postMessage('exit');
    assert.equal(await exited, 0);
  });

  for (const end of ['terminate', 'exit']) {
    test(`workers ended (${end}) with results posted but not delivered, and calls timing out, are torn down without a callback`, async () => {
      // Three workers at once, each with calls cancelled by its teardown,
      // results already posted to its blocked JS thread, and calls timing
      // out on werun's timer thread around the teardown.
      const runs = [0, 1, 2].map(() => startWorker('teardown-storm-worker.mjs', { calls: 100, end }));
      const callbacks = [];
      for (const { worker } of runs) {
        worker.on('message', (message) => message !== 'in flight' && callbacks.push(message));
      }
      assert.deepEqual(await Promise.all(runs.map((run) => run.firstMessage)), ['in flight', 'in flight', 'in flight']);
      const codes = end === 'terminate' ? runs.map(({ worker }) => worker.terminate()) : runs.map((run) => run.exited);
      assert.deepEqual(await Promise.all(codes), end === 'terminate' ? [1, 1, 1] : [0, 0, 0]);
      assert.deepEqual(callbacks, [], 'no callback runs in a torn-down env');
    });
  }

  test('a call in flight keeps its worker alive until werun times it out, then lets it exit', async () => {
    const { firstMessage, exited } = startWorker('timeout-worker.mjs');
    assert.equal(await firstMessage, 'getWeRunData:fail timeout');
    assert.equal(await exited, 0);
  });

  test('a worker has its own context and exits normally once its calls are done', async () => {
    const appid = 'wx-worker-appid';
    const { firstMessage, exited } = startWorker('flow-worker.mjs', { appid, steps: 987 });
    const { login, data, authorization } = await firstMessage;
    const code = await exited;
    assert.equal(code, 0);
    assert.deepEqual(login, { errMsg: 'login:ok', code: 'worker-code' });
    assert.equal(authorization, 'granted');
    const decrypted = werun.decryptWeRunData(SESSION_KEY, data.encryptedData, data.iv, appid);
    assert.equal(decrypted.stepInfoList.at(-1).step, 987);
    assert.equal(werun.getAuthorization(), 'notDetermined', "the worker's calls did not touch this env's context");
  });

  test('this env keeps working after its workers were torn down', async () => {
    werun.setHostImplementation(stepsHost());
    assert.equal((await werun.login()).errMsg, 'login:ok');
    assert.equal((await werun.getWeRunData()).errMsg, 'getWeRunData:ok');
  });
});

describe('memory', () => {
  test('getSteps resolving the longest sparse array fails the call without a crash', async () => {
    const script = fixture('sparse-array-host.mjs').pathname;
    // In a child process, with its memory capped at 8 GiB: a binding that
    // trusts the length may allocate 2^32 samples, or abort.
    const capped = 'ulimit -v 8388608 && exec "$0" "$1"';
    const { stdout } = await promisify(execFile)('/bin/sh', ['-c', capped, process.execPath, script]);
    assert.match(stdout, /^getWeRunData:fail .*element 0/);
  });
});
