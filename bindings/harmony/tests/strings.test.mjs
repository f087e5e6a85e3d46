// How the module reads JS strings, beyond the shared suites: in one pass
// through a buffer when short, by length otherwise.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { werun } from './helpers.mjs';

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
