// What getWeRunData seals, read back by decryptWeRunData and by an
// independent implementation of WeChat's algorithm (platform.decrypt); the
// decrypt helpers against the repo's open-data vectors; and a Taro-style
// caller through installWeRun.
import { assert } from './assert.mjs';
import {
  APPID,
  DAY,
  SESSION_KEY,
  UTC8,
  countingHost,
  dayStart,
  failure,
  localDay,
  loginAnswering,
  nowSeconds,
  reset as resetModule,
  stepsHost,
} from './helpers.mjs';

export default function roundTripSuite({ werun, platform, describe, test, beforeEach }) {
  const reset = (host, settings) => resetModule(werun, host, settings);
  beforeEach(() => reset());

  /** Logs in with SESSION_KEY, answers getSteps with `samples`, and returns { res, before, after }. */
  async function seal(samples) {
    werun.setHostImplementation(stepsHost(samples));
    await werun.login();
    const before = nowSeconds();
    const res = await werun.getWeRunData();
    return { res, before, after: nowSeconds() };
  }

  /** Sums `samples` per local day into the 31 days ending on `lastDay`, as WeChat lays them out. */
  function expectedDays(samples, lastDay, offsetSeconds = UTC8) {
    const firstDay = lastDay - 30;
    const days = Array.from({ length: 31 }, (_, i) => ({ timestamp: dayStart(firstDay + i, offsetSeconds), step: 0 }));
    for (const { timestamp, step } of samples) {
      const index = localDay(timestamp, offsetSeconds) - firstDay;
      if (index >= 0 && index < 31) days[index].step += step;
    }
    return days;
  }

  /** Samples around now: today, yesterday twice, the window's first day, and days before the window. */
  function samplesAroundNow(now = nowSeconds()) {
    return [
      { timestamp: now, step: 812 },
      { timestamp: now - DAY, step: 5000 },
      { timestamp: now - DAY, step: 250 },
      { timestamp: now - 9 * DAY, step: 12_345 },
      { timestamp: now - 30 * DAY, step: 77 },
      { timestamp: now - 31 * DAY, step: 999_999 },
      { timestamp: now - 45 * DAY, step: 31 },
    ];
  }

  describe('getWeRunData round trip', () => {
    test('decryptWeRunData reads back 31 ascending UTC+8 midnights ending today, summed per day', async () => {
      const samples = samplesAroundNow();
      const { res, before, after } = await seal(samples);
      const { stepInfoList, watermark } = werun.decryptWeRunData(SESSION_KEY, res.encryptedData, res.iv, APPID);

      assert.equal(watermark.appid, APPID);
      assert.ok(watermark.timestamp >= before && watermark.timestamp <= after, 'sealed now');
      assert.equal(stepInfoList.length, 31);
      for (const [i, { timestamp }] of stepInfoList.entries()) {
        assert.equal((timestamp + UTC8) % DAY, 0, `entry ${i} is at 00:00 UTC+8`);
        if (i > 0) assert.equal(timestamp - stepInfoList[i - 1].timestamp, DAY, `entry ${i} follows the day before`);
      }
      const today = localDay(watermark.timestamp);
      assert.equal(localDay(stepInfoList.at(-1).timestamp), today, "the last entry is the watermark's day");
      assert.deepEqual(stepInfoList, expectedDays(samples, today));
      const outside = stepInfoList.filter(({ step }) => step === 999_999 || step === 31);
      assert.deepEqual(outside, [], 'samples before the window are ignored');
    });

    test('an independent decrypt gives the same JSON, compact and in WeChat key order', async () => {
      const { res } = await seal(samplesAroundNow());
      const plaintext = platform.decrypt(SESSION_KEY, res.encryptedData, res.iv);
      const parsed = JSON.parse(plaintext);
      assert.equal(JSON.stringify(parsed), plaintext, 'no whitespace');
      assert.deepEqual(Object.keys(parsed), ['stepInfoList', 'watermark']);
      assert.deepEqual(Object.keys(parsed.watermark), ['timestamp', 'appid']);
      assert.ok(parsed.stepInfoList.every((day) => JSON.stringify(Object.keys(day)) === '["timestamp","step"]'));
      assert.deepEqual(werun.decryptWeRunData(SESSION_KEY, res.encryptedData, res.iv, APPID), parsed);
      assert.deepEqual(werun.decryptOpenData(SESSION_KEY, res.encryptedData, res.iv, APPID), parsed);
    });

    test('no samples seal 31 days of zero steps', async () => {
      const { res } = await seal([]);
      const { stepInfoList, watermark } = werun.decryptWeRunData(SESSION_KEY, res.encryptedData, res.iv, APPID);
      assert.deepEqual(stepInfoList, expectedDays([], localDay(watermark.timestamp)));
    });

    test('the day boundary follows utcOffsetMinutes', async () => {
      for (const minutes of [0, -300, 345, 840]) {
        werun.configure({ appid: APPID, utcOffsetMinutes: minutes });
        const samples = samplesAroundNow();
        const { res } = await seal(samples);
        const { stepInfoList, watermark } = werun.decryptWeRunData(SESSION_KEY, res.encryptedData, res.iv, APPID);
        const offset = minutes * 60;
        assert.ok(stepInfoList.every(({ timestamp }) => (timestamp + offset) % DAY === 0), `midnights at ${minutes}`);
        assert.deepEqual(stepInfoList, expectedDays(samples, localDay(watermark.timestamp, offset), offset));
      }
    });

    test('each concurrent call is sealed with its own iv over the same days', async () => {
      werun.setHostImplementation(stepsHost(samplesAroundNow()));
      await werun.login();
      const [first, second] = await Promise.all([werun.getWeRunData(), werun.getWeRunData()]);
      assert.notEqual(first.iv, second.iv);
      const decrypt = (res) => werun.decryptWeRunData(SESSION_KEY, res.encryptedData, res.iv, APPID).stepInfoList;
      assert.deepEqual(decrypt(first), decrypt(second));
    });
  });

  describe('decrypt helpers', () => {
    const { vectors } = platform;

    for (const vector of vectors.cases) {
      const args = [vector.session_key, vector.encrypted_data, vector.iv, vector.appid];
      const expectSteps = vector.expect_steps ?? vector.expect;

      test(`decryptOpenData on vector ${vector.name}: ${vector.expect}`, () => {
        if (vector.expect === 'WERUN_OK') {
          assert.deepEqual(werun.decryptOpenData(...args), JSON.parse(vector.plaintext));
        } else {
          assert.throws(() => werun.decryptOpenData(...args), { name: 'Error', code: vector.expect, message: /\S{3}/ });
        }
      });

      test(`decryptWeRunData on vector ${vector.name}: ${expectSteps}`, () => {
        if (expectSteps === 'WERUN_OK') {
          const { stepInfoList, watermark } = JSON.parse(vector.plaintext);
          assert.deepEqual(werun.decryptWeRunData(...args), { stepInfoList, watermark });
        } else {
          assert.throws(() => werun.decryptWeRunData(...args), { name: 'Error', code: expectSteps, message: /\S{3}/ });
        }
      });
    }

    test('decryptOpenData skips the watermark check without an appid', () => {
      const official = vectors.cases.find((vector) => vector.name === 'wxbizdatacrypt-official-sample');
      const plain = JSON.parse(official.plaintext);
      const { session_key: key, encrypted_data: data, iv } = official;
      assert.deepEqual(werun.decryptOpenData(key, data, iv), plain);
      assert.deepEqual(werun.decryptOpenData(key, data, iv, null), plain);
      assert.throws(() => werun.decryptOpenData(key, data, iv, 'wx0000000000000000'), { code: 'WERUN_ERR_WATERMARK' });
    });

    test('a base64 + turned into a space is refused with a hint that the input was URL-decoded', () => {
      const spaced = vectors.cases.find((vector) => vector.name === 'plus-became-space');
      assert.throws(() => werun.decryptOpenData(spaced.session_key, spaced.encrypted_data, spaced.iv, spaced.appid), {
        code: 'WERUN_ERR_INVALID_ARGUMENT',
        message: /URL/i,
      });
    });

    test('the official sample decrypts wrapped across lines, indented or followed by a newline, as WeChat samples accept it', () => {
      const official = vectors.cases.find((vector) => vector.name === 'wxbizdatacrypt-official-sample');
      const { session_key: key, encrypted_data: data, iv, appid } = official;
      const lines = (width) => data.match(new RegExp(`.{1,${width}}`, 'g'));
      const forms = {
        'followed by a newline': `${data}\n`,
        'MIME-wrapped at 76 with \\r\\n': `${lines(76).join('\r\n')}\r\n`,
        "indented as WeChat's PHP demo": lines(32).join(`\n${' '.repeat(16)}`),
      };
      for (const [form, text] of Object.entries(forms)) {
        assert.deepEqual(werun.decryptOpenData(`${key}\n`, text, `${iv}\r\n`, appid), JSON.parse(official.plaintext), form);
      }
    });

    test('a payload mangled on the way is refused with its cause', () => {
      const official = vectors.cases.find((vector) => vector.name === 'wxbizdatacrypt-official-sample');
      const { session_key: key, encrypted_data: data, iv, appid } = official;
      const percentEncoded = data.replaceAll('+', '%2B').replaceAll('/', '%2F').replaceAll('=', '%3D');
      assert.throws(() => werun.decryptOpenData(key, percentEncoded, iv, appid), {
        code: 'WERUN_ERR_INVALID_ARGUMENT',
        message: /percent-encoded/,
      });
      const wrappedUrlDecoded = data.replaceAll('+', ' ').match(/.{1,76}/g).join('\r\n');
      assert.throws(() => werun.decryptWeRunData(key, wrappedUrlDecoded, iv, appid), {
        code: 'WERUN_ERR_INVALID_ARGUMENT',
        message: /URL-decoded/,
      });
    });

    test('decryptWeRunData refuses a stepInfoList that is not integer days', () => {
      const watermark = { timestamp: 1_700_000_000, appid: APPID };
      const malformed = ['none', [{ timestamp: 1, step: 1.5 }], [{ timestamp: 1, step: -1 }], [{ step: 1 }], [7]];
      for (const stepInfoList of malformed) {
        const { encryptedData, iv } = platform.encrypt(SESSION_KEY, JSON.stringify({ stepInfoList, watermark }));
        assert.throws(() => werun.decryptWeRunData(SESSION_KEY, encryptedData, iv, APPID), {
          code: 'WERUN_ERR_INVALID_DATA',
        }, JSON.stringify(stepInfoList));
      }
      const empty = platform.encrypt(SESSION_KEY, JSON.stringify({ stepInfoList: [], watermark }));
      assert.deepEqual(werun.decryptWeRunData(SESSION_KEY, empty.encryptedData, empty.iv, APPID), {
        stepInfoList: [],
        watermark,
      });
    });

    test('arguments that are not strings throw a TypeError', () => {
      const { encryptedData, iv } = platform.encrypt(SESSION_KEY, '{}');
      assert.throws(() => werun.decryptOpenData(), TypeError);
      const typeError = (name) => ({ name: 'TypeError', message: new RegExp(name) });
      assert.throws(() => werun.decryptOpenData(16, encryptedData, iv), typeError('sessionKey'));
      assert.throws(() => werun.decryptOpenData(SESSION_KEY, new Uint8Array([120]), iv), typeError('encryptedData'));
      assert.throws(() => werun.decryptOpenData(SESSION_KEY, encryptedData, null), typeError('iv'));
      assert.throws(() => werun.decryptOpenData(SESSION_KEY, encryptedData, iv, 1), typeError('appid'));
      assert.throws(() => werun.decryptWeRunData(SESSION_KEY, encryptedData, iv), typeError('appid'));
    });
  });

  describe('Taro through installWeRun', () => {
    const { installWeRun } = platform;
    const skip = installWeRun ? false : 'installWeRun is not available (bindings/js is not built)';

    /**
     * Taro's HarmonyOS runtime in a development build: getWeRunData and
     * friends are stubs that fail (a production build's stub calls success
     * instead; tests/taro runs Taro's real ones).
     */
    function stubbedTaro() {
      const unsupported = (api) => (option = {}) => {
        const res = { errMsg: `${api}:fail 暂时不支持 API ${api}` };
        option.fail?.(res);
        option.complete?.(res);
        return Promise.reject(res);
      };
      return {
        getWeRunData: unsupported('getWeRunData'),
        login: unsupported('login'),
        checkSession: unsupported('checkSession'),
        getSystemInfoSync: () => ({ platform: 'harmony' }),
      };
    }

    test('Taro.login() then Taro.getWeRunData({ success }) gives what a backend decrypts', { skip }, async () => {
      // The backend's code2Session: the code the host's login hands out maps to this session key.
      const sessions = new Map([['code-taro', SESSION_KEY]]);
      const now = nowSeconds();
      werun.setHostImplementation(
        countingHost({
          login: loginAnswering({ code: 'code-taro' }),
          authorize: async () => true,
          getSteps: async () => [{ timestamp: now, step: 6021 }],
        }),
      );
      const Taro = stubbedTaro();
      const { getSystemInfoSync } = Taro;
      assert.equal(installWeRun(Taro, werun), Taro);
      assert.equal(Taro.getSystemInfoSync, getSystemInfoSync, 'the rest of Taro is untouched');

      const { code } = await Taro.login();
      assert.equal((await Taro.checkSession()).errMsg, 'checkSession:ok');
      const order = [];
      let received;
      const resolved = await Taro.getWeRunData({
        success: (res) => {
          order.push('success');
          received = res;
        },
        complete: () => order.push('complete'),
      });
      assert.deepEqual(order, ['success', 'complete']);
      assert.equal(resolved, received);
      assert.equal(received.errMsg, 'getWeRunData:ok');

      const backend = JSON.parse(platform.decrypt(sessions.get(code), received.encryptedData, received.iv));
      assert.equal(backend.watermark.appid, APPID);
      assert.equal(backend.stepInfoList.length, 31);
      assert.equal(backend.stepInfoList.at(-1).step, 6021);
    });

    test('Taro callers get WeChat failures: fail, complete, then rejection', { skip }, async () => {
      const Taro = installWeRun(stubbedTaro(), werun);
      werun.setHostImplementation(stepsHost());
      const order = [];
      const errMsg = await failure(
        Taro.getWeRunData({
          fail: (res) => order.push(`fail ${res.errMsg}`),
          complete: () => order.push('complete'),
        }),
      );
      assert.equal(errMsg, 'getWeRunData:fail need login');
      assert.deepEqual(order, ['fail getWeRunData:fail need login', 'complete']);
      assert.equal(await failure(Taro.checkSession()), 'checkSession:fail session expired');
    });
  });
}
