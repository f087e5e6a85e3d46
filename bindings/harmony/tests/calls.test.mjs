// The module's own bookkeeping of calls, beyond the shared suites: the room
// it keeps for the promises of calls in flight grows with a burst of calls
// and is given back once they are done. Not in lifecycle.test.mjs, which
// run.sh also runs under valgrind: the burst's garbage makes V8 collect at
// points where its conservative stack scan reads libuv's uninitialised stack
// buffers, which memcheck reports.
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';

import { reset, stepsHost, werun } from './helpers.mjs';

describe('promises', () => {
  beforeEach(() => reset());

  test('a burst of 1100 calls, then more calls: each settles once, with its own result', async () => {
    // More calls at once than the module keeps room for when idle, so the
    // room made for the burst is given back after it, and used again.
    werun.setHostImplementation(stepsHost());
    assert.equal((await werun.login()).errMsg, 'login:ok');
    for (let burst = 0; burst < 2; burst++) {
      let completions = 0;
      const option = { complete: () => completions++ };
      const results = await Promise.all(
        Array.from({ length: 1100 }, (_, i) => (i % 11 ? werun.checkSession(option) : werun.getWeRunData(option))),
      );
      assert.equal(completions, 1100);
      results.forEach((res, i) => assert.equal(res.errMsg, i % 11 ? 'checkSession:ok' : 'getWeRunData:ok'));
      assert.equal(new Set(results.filter((res) => res.iv).map((res) => res.iv)).size, 100);
      assert.deepEqual(
        (await Promise.all([werun.checkSession(), werun.getWeRunData(), werun.login()])).map((res) => res.errMsg),
        ['checkSession:ok', 'getWeRunData:ok', 'login:ok'],
      );
    }
  });
});


describe('strings', () => {
  test('strings are read whole, whatever their length and characters', () => {
    // Short strings are read in one pass through a buffer, longer ones by
    // length: around the buffer's edge (4096 bytes) a string of 3-byte
    // characters is cut short by a partial character, which must not pass
    // for the whole string. The appid's length in the refusal is counted by
    // the core from the bytes it was given.
    for (const characters of [1, 1364, 1365, 1366, 1367, 3000]) {
      for (const [unit, bytes] of [['w', 1], ['步', 3], ['😀', 4]]) {
        const appid = unit.repeat(characters);
        const length = characters * bytes;
        if (length <= 256) continue;
        assert.throws(
          () => werun.decryptWeRunData('tiihtNczf5v6AKRyjwEUhQ==', 'AAAAAAAAAAAAAAAAAAAAAA==', 'AAAAAAAAAAAAAAAAAAAAAA==', appid),
          (error) => error.message.includes(`appid is ${length} bytes; the limit is 256`),
          `${characters} × ${unit}`,
        );
      }
    }
  });
});
