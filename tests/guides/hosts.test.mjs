// Runs the guides' host examples for real: each example (examples/harmony,
// examples/react-native) is bundled by esbuild as its platform's bundler
// would, with its health library replaced by a stand-in (fakes/) that
// answers in the library's documented shapes, then installed as the host of
// werun's Node-API module. getWeRunData must seal exactly the stand-in's
// steps for the last 31 days, and decrypt like WeChat's payloads.
//
// The process's time zone is the device's: tests/guides/run.sh runs this file
// in Asia/Shanghai (werun's default UTC+8) and in America/New_York, where
// werun is configured with the device's offset as the guides say.
//
// Needs: the addon (bindings/harmony/tests/build-addon.sh) and npm ci in
// bindings/react-native (esbuild).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { APPID, DAY, SESSION_KEY, loginAnswering, reset } from '../../bindings/js/conformance/helpers.mjs';
import { fake, localDateKey, localMidnight, resetFake } from './fakes/state.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const require = createRequire(import.meta.url);
const werun = require(join(root, 'bindings/harmony/build/werun.node'));
const esbuild = require(join(root, 'bindings/react-native/node_modules/esbuild'));

// The device's UTC offset today, as an app passes it to configure.
const utcOffsetMinutes = -new Date().getTimezoneOffset();
const settings = { utcOffsetMinutes };

const stubs = {
  '@kit.HealthServiceKit': join(here, 'fakes/health-service-kit.mjs'),
  'react-native-health-connect': join(here, 'fakes/health-connect.mjs'),
  '@kingstinct/react-native-healthkit': join(here, 'fakes/healthkit.mjs'),
  'react-native': join(here, 'fakes/react-native.mjs'),
  'react-native-werun': join(here, 'fakes/react-native-werun.mjs'),
};
// What a host may import only as types (esbuild drops such imports).
const typesOnly = ['@werun/harmony', 'react-native-werun'];

let out;
/**
 * Bundles `example` (a path under examples/) and imports it. Its imports of
 * `typesOnly` must vanish unless `werunAtRunTime`.
 */
async function load(example, { werunAtRunTime = false } = {}) {
  const outfile = join(out, example.replace(/[/.]/g, '_') + '.mjs');
  const forbidden = werunAtRunTime ? [] : typesOnly;
  await esbuild.build({
    entryPoints: [join(root, 'examples', example)],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    outfile,
    loader: { '.ets': 'ts' },
    logLevel: 'warning',
    plugins: [
      {
        name: 'stand-ins',
        setup(build) {
          build.onResolve({ filter: /^[@a-z]/ }, ({ path }) => {
            if (forbidden.includes(path)) {
              return { errors: [{ text: `the example needs ${path} at run time; its imports from it must be types only` }] };
            }
            if (!(path in stubs)) return { errors: [{ text: `the example imports ${path}, which has no stand-in` }] };
            // Kept external, by absolute path, so the test shares the stand-in's state.
            return { path: pathToFileURL(stubs[path]).href, external: true };
          });
        },
      },
    ],
  });
  return import(pathToFileURL(outfile).href);
}

/** 40 days of steps ending today, some without data, keyed by local date. */
function stepsFixture() {
  const steps = new Map();
  const today = new Date();
  for (let back = 0; back < 40; back += 1) {
    if (back % 6 === 4) continue; // a day with no data
    steps.set(localDateKey(localMidnight(today, -back)), back === 9 ? 0 : 1000 + back * 137);
  }
  return steps;
}

/** What werun must seal: the last 31 local days, oldest first, 0 where there is no data. */
function expectedSteps(steps) {
  const today = new Date();
  const days = [];
  for (let back = 30; back >= 0; back -= 1) {
    const day = localMidnight(today, -back);
    days.push({ day: localDateKey(day), step: steps.get(localDateKey(day)) ?? 0 });
  }
  return days;
}

/** Logs in, seals through the host, decrypts as a backend does, and names each entry's day. */
async function sealAndDecrypt() {
  await werun.login();
  const sealed = await werun.getWeRunData();
  assert.equal(sealed.errMsg, 'getWeRunData:ok');
  const data = werun.decryptWeRunData(SESSION_KEY, sealed.encryptedData, sealed.iv, APPID);
  assert.equal(data.watermark.appid, APPID);
  return data.stepInfoList.map(({ timestamp, step }) => {
    // Each entry is at 00:00 at werun's configured offset: that day's date.
    assert.equal((timestamp + utcOffsetMinutes * 60) % DAY, 0, `${timestamp} is a midnight at UTC${utcOffsetMinutes / 60}`);
    const day = new Date((timestamp + utcOffsetMinutes * 60) * 1000).toISOString().slice(0, 10);
    return { day, step };
  });
}

before(() => {
  out = mkdtempSync(join(tmpdir(), 'werun-guides-'));
});
after(() => rmSync(out, { recursive: true, force: true }));

const context = { name: 'UIAbilityContext' };
const hosts = [
  {
    name: 'HarmonyOS, Health Service Kit (examples/harmony/HealthServiceKitHost.ets)',
    example: 'harmony/HealthServiceKitHost.ets',
    make: (module) => module.healthServiceKitHost(context, loginAnswering()),
    deniable: true,
  },
  {
    name: 'React Native, Health Connect (examples/react-native/healthConnectHost.ts)',
    example: 'react-native/healthConnectHost.ts',
    make: (module) => module.healthConnectHost(loginAnswering()),
    deniable: true,
  },
  {
    name: 'React Native, HealthKit (examples/react-native/healthKitHost.ts)',
    example: 'react-native/healthKitHost.ts',
    make: (module) => module.healthKitHost(loginAnswering()),
    // HealthKit hides a refusal: reads then see no steps.
    deniable: false,
  },
];

for (const { name, example, make, deniable } of hosts) {
  describe(name, () => {
    let module;
    before(async () => {
      module = await load(example);
    });
    beforeEach(() => resetFake({ steps: stepsFixture() }));

    test('seals the last 31 days of the platform’s daily steps', async () => {
      reset(werun, make(module), settings);
      const days = await sealAndDecrypt();
      assert.deepEqual(days, expectedSteps(fake.steps));
      assert.equal(werun.getAuthorization(), 'granted', 'the platform permission was asked for scope.werun');
    });

    test('asks for the permission once, and reads again on every call', async () => {
      reset(werun, make(module), settings);
      await sealAndDecrypt();
      fake.steps.set(localDateKey(new Date()), 4321);
      const days = await sealAndDecrypt();
      assert.equal(days.at(-1).step, 4321, "today's new steps");
      const asked = fake.calls.filter(([call]) => /^request/.test(call));
      assert.equal(asked.length, 1, 'one permission request');
    });

    test('a user with no data gets 31 zero days', async () => {
      resetFake({ steps: new Map() });
      reset(werun, make(module), settings);
      const days = await sealAndDecrypt();
      assert.equal(days.length, 31);
      assert.ok(days.every(({ step }) => step === 0));
    });

    if (deniable) {
      test("a refused permission is 'auth deny', now and later, without asking again", async () => {
        resetFake({ steps: stepsFixture(), grant: false });
        reset(werun, make(module), settings);
        await werun.login();
        for (let i = 0; i < 2; i += 1) {
          await assert.rejects(werun.getWeRunData(), (error) => {
            assert.equal(error.errMsg, 'getWeRunData:fail auth deny');
            return true;
          });
        }
        assert.equal(werun.getAuthorization(), 'denied');
        assert.equal(fake.calls.filter(([call]) => /^request/.test(call)).length, 1);
        assert.ok(!fake.calls.some(([call]) => /^(aggregate|query)/.test(call)), 'no steps were read');
      });
    }
  });
}

describe('React Native, the app side (examples/react-native/setUpWeRun.ts)', () => {
  let module;
  before(async () => {
    module = await load('react-native/setUpWeRun.ts', { werunAtRunTime: true });
  });

  for (const [platform, read] of [
    ['ios', 'queryStatisticsCollectionForQuantity'],
    ['android', 'aggregateGroupByPeriod'],
  ]) {
    test(`on ${platform}, Taro.getWeRunData seals the platform's steps`, async () => {
      resetFake({ steps: stepsFixture() });
      fake.platform = platform;
      werun.logout();
      werun.setAuthorization('notDetermined');
      const taro = {};
      assert.equal(module.setUpWeRun(taro, APPID, loginAnswering()), taro);

      await taro.login();
      const result = await new Promise((resolve, reject) => taro.getWeRunData({ success: resolve, fail: reject }));
      const data = werun.decryptWeRunData(SESSION_KEY, result.encryptedData, result.iv, APPID);
      const days = data.stepInfoList.map(({ timestamp, step }) => ({
        day: new Date((timestamp + utcOffsetMinutes * 60) * 1000).toISOString().slice(0, 10),
        step,
      }));
      assert.deepEqual(days, expectedSteps(fake.steps));
      assert.ok(fake.calls.some(([call]) => call === read), `the ${platform} host read the steps (${read})`);
    });
  }
});
