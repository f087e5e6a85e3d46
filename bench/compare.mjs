// werun against what users would use instead, measured side by side in one
// run on the same payloads, printed as a table of ratios with the budgets of
// docs/PERFORMANCE.md. Run by bench/compare.sh, which builds what this loads.
//
//   node --expose-gc bench/compare.mjs <build dir> [--quick]
//
// (a) werun's decrypt+parse through the C ABI (bench/c/decrypt.c, run here)
//     and through the Node-API addon; (b) WeChat's published algorithm with
//     node:crypto and JSON.parse, written here from the algorithm; (c)
//     crypto-js, the pure-JS fallback, for the same decrypt and for sealing;
//     (d) werun's getWeRunData round trip from JS with a native host, against
//     a bare Node-API threadsafe-function promise round trip.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

import { cryptoJsCipher } from '../bindings/js/conformance/cipher-crypto-js.mjs';
import * as nodeCipher from '../bindings/js/conformance/cipher-node.mjs';
import { APPID } from '../bindings/js/conformance/helpers.mjs';

const [buildDir, mode] = process.argv.slice(2);
const quick = mode === '--quick';
const require = createRequire(import.meta.url);
const werun = require(path.resolve(buildDir, 'werun-bench.node'));
const floor = require(path.resolve(buildDir, 'napi_floor.node'));
const CryptoJS = require('crypto-js');

// The native bench host's key (bench/napi/bench_exports.inc).
const SESSION_KEY = 'tiihtNczf5v6AKRyjwEUhQ==';
const DAY = 86_400;

/** A 31-day WeRun plaintext exactly as WeChat lays it out. */
function weRunPlaintext(now = Math.floor(Date.now() / 1000)) {
  const today = Math.floor((now + 8 * 3600) / DAY);
  const stepInfoList = Array.from({ length: 31 }, (_, i) => ({
    timestamp: (today - 30 + i) * DAY - 8 * 3600,
    step: 4000 + i * 97,
  }));
  return JSON.stringify({ stepInfoList, watermark: { timestamp: now, appid: APPID } });
}

// (b) WeChat's published open-data algorithm (WXBizDataCrypt): base64-decode
// key, iv and data, AES-128-CBC with PKCS#7, JSON.parse, check the appid.
const nodeSeal = (sessionKey, plaintext) => nodeCipher.encrypt(sessionKey, plaintext);
function nodeDecrypt(sessionKey, encryptedData, iv) {
  const data = JSON.parse(nodeCipher.decrypt(sessionKey, encryptedData, iv));
  if (data.watermark.appid !== APPID) throw new Error('Illegal Buffer');
  return data;
}

// (c) The same with crypto-js.
const cryptoJs = cryptoJsCipher(CryptoJS);
function cryptoJsDecrypt(sessionKey, encryptedData, iv) {
  const data = JSON.parse(cryptoJs.decrypt(sessionKey, encryptedData, iv));
  if (data.watermark.appid !== APPID) throw new Error('Illegal Buffer');
  return data;
}

// (c) Sealing with crypto-js: serialise the 31 days, encrypt under a fresh
// IV, base64 — what werun's getWeRunData does inside the core.
const cryptoJsSeal = (sessionKey) => cryptoJs.encrypt(sessionKey, weRunPlaintext());

/** ns per call of `run` over `iterations` calls. */
function timeSync(run, iterations) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) run();
  return Number(process.hrtime.bigint() - start) / iterations;
}

/** The same for calls that return a promise, each awaited before the next. */
async function timeAsync(run, iterations) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await run();
  return Number(process.hrtime.bigint() - start) / iterations;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const iterations = quick ? 200 : 20_000;
const rounds = quick ? 3 : 9;
const { encryptedData, iv } = nodeSeal(SESSION_KEY, weRunPlaintext());

// The implementations agree before they are timed.
const expected = JSON.stringify(nodeDecrypt(SESSION_KEY, encryptedData, iv));
for (const [name, data] of [
  ['addon', werun.decryptWeRunData(SESSION_KEY, encryptedData, iv, APPID)],
  ['crypto-js', cryptoJsDecrypt(SESSION_KEY, encryptedData, iv)],
]) {
  if (JSON.stringify(data) !== expected) throw new Error(`${name} decrypted something else`);
}

werun.configure({ appid: APPID, maxInFlight: 20_000 });
werun.benchUseNativeHost();
await werun.login();
const sealedByWerun = await werun.getWeRunData();
nodeDecrypt(SESSION_KEY, sealedByWerun.encryptedData, sealedByWerun.iv);

// Every measure once per round, one after the other, from a collected heap,
// so that a change in the machine's load hits all of them alike; each ratio below is the median
// of the ratios within a round, and each time the median over rounds.
const measures = {
  cAbiDecrypt: () =>
    JSON.parse(
      execFileSync(path.resolve(buildDir, 'decrypt'), [SESSION_KEY, encryptedData, iv, APPID, String(iterations)], {
        encoding: 'utf8',
      }),
    ).weRunDataDecrypt,
  addonDecrypt: () => timeSync(() => werun.decryptWeRunData(SESSION_KEY, encryptedData, iv, APPID), iterations),
  nodeDecrypt: () => timeSync(() => nodeDecrypt(SESSION_KEY, encryptedData, iv), iterations),
  cryptoJsDecrypt: () => timeSync(() => cryptoJsDecrypt(SESSION_KEY, encryptedData, iv), iterations / 10),
  cryptoJsSeal: () => timeSync(() => cryptoJsSeal(SESSION_KEY), iterations / 10),
  // The round trips next to each other, and to the floor they are held to.
  addonSeal: () => timeAsync(() => werun.getWeRunData(), iterations),
  // The same round trip through the C ABI alone, on the same context and
  // native host (bench/napi/bench_exports.inc), timed next to it: what the
  // JS round trip costs beyond it is the binding's overhead.
  cAbiRoundTrip: () => werun.benchCAbiRoundTrip(iterations),
  addonCheckSession: () => timeAsync(() => werun.checkSession(), iterations),
  floorRoundTrip: () => timeAsync(() => floor.roundTrip(), iterations),
};
// One round unmeasured, to warm up.
const perRound = [];
for (let round = 0; round <= rounds; round++) {
  const times = {};
  for (const [name, measure] of Object.entries(measures)) {
    // Collected first, so that no measure pays for the garbage of the one before.
    globalThis.gc();
    times[name] = await measure();
  }
  if (round > 0) perRound.push(times);
}
const ns = Object.fromEntries(Object.keys(measures).map((name) => [name, median(perRound.map((times) => times[name]))]));

// 10 000 calls in flight through the addon, on a JS host that never answers:
// in fresh processes (bench/in-flight.mjs), the median of three.
const inFlightRuns = Array.from({ length: 3 }, () =>
  JSON.parse(
    execFileSync(process.execPath, ['--expose-gc', path.resolve(import.meta.dirname, 'in-flight.mjs'), path.resolve(buildDir, 'werun-bench.node')], {
      encoding: 'utf8',
    }),
  ),
).sort((a, b) => a.total - b.total);
const inFlight = inFlightRuns[1];
const inFlightMiB = inFlight.total / 2 ** 20;

// Every budget of docs/PERFORMANCE.md, measured side by side in this run.
const rows = [
  ['decrypt+parse: C ABI vs node:crypto + JSON.parse', (t) => t.cAbiDecrypt, (t) => t.nodeDecrypt, 'faster', 5],
  ['decrypt+parse: Node-API addon vs node:crypto + JSON.parse', (t) => t.addonDecrypt, (t) => t.nodeDecrypt, 'faster', 1.5],
  ['decrypt+parse: Node-API addon vs crypto-js', (t) => t.addonDecrypt, (t) => t.cryptoJsDecrypt, 'faster', null],
  ['seal 31 days: addon getWeRunData (native host) vs crypto-js', (t) => t.addonSeal, (t) => t.cryptoJsSeal, 'faster', 30],
  ['JS round trip, no crypto: checkSession vs bare Node-API tsfn promise', (t) => t.addonCheckSession, (t) => t.floorRoundTrip, 'cost', 1.3],
  [
    `getWeRunData's binding overhead (JS round trip minus the C ABI round trip, ${(ns.cAbiRoundTrip / 1000).toFixed(2)} µs) vs bare Node-API tsfn promise`,
    (t) => t.addonSeal - t.cAbiRoundTrip,
    (t) => t.floorRoundTrip,
    'cost',
    1.3,
  ],
  ['JS round trip, whole: getWeRunData (native host) vs bare Node-API tsfn promise', (t) => t.addonSeal, (t) => t.floorRoundTrip, 'cost', null],
];
const fmt = (n) => (n >= 1000 ? `${(n / 1000).toFixed(2)} µs` : `${n.toFixed(0)} ns`);
console.log(`| measure | werun | other | ratio | budget | met |`);
console.log(`|---|---|---|---|---|---|`);
let missed = 0;
for (const [name, ours, other, kind, budget] of rows) {
  // "faster": how many times faster werun is; "cost": werun's time over the floor's.
  const ratio = median(perRound.map((t) => (kind === 'faster' ? other(t) / ours(t) : ours(t) / other(t))));
  const met = budget === null ? '' : kind === 'faster' ? ratio >= budget : ratio <= budget;
  if (met === false) missed++;
  const shown = kind === 'faster' ? `${ratio.toFixed(1)}× faster` : `${ratio.toFixed(2)}× the floor`;
  const goal = budget === null ? '' : kind === 'faster' ? `≥ ${budget}×` : `≤ ${budget}×`;
  const times = (measure) => fmt(median(perRound.map(measure)));
  console.log(`| ${name} | ${times(ours)} | ${times(other)} | ${shown} | ${goal} | ${met === '' ? '' : met ? 'yes' : 'no'} |`);
}
const inFlightMet = inFlightMiB <= 3;
if (!inFlightMet) missed++;
console.log(
  `| 10 000 getWeRunData calls in flight through the addon (JS heap ${(inFlight.jsHeap / 2 ** 20).toFixed(2)} + native ${(inFlight.native / 2 ** 20).toFixed(2)} MiB) | ${inFlightMiB.toFixed(2)} MiB | | | ≤ 3 MiB | ${inFlightMet ? 'yes' : 'no'} |`,
);
console.log(`\ncompare: ${quick ? 'quick mode (ratios not meaningful)' : `${iterations} calls × ${rounds} rounds each`}; ${missed} budget(s) missed`);
process.exit(0);
