// The React Native binding's figures, measured in the benchmark's
// werun-rn-host and printed as a table of ratios. Run by bench/rn/compare.sh,
// which builds the host.
//
//   node bench/rn/compare.mjs <werun-rn-host> [--quick]
//
// (a) round trips from JS through the TurboModule against the floor, a bare
//     JSI promise resolved through the same CallInvoker hop
//     (bench/rn/round-trip.js, one process, rounds interleaved);
// (b) 10 000 getWeRunData calls in flight (bench/rn/in-flight.js), in fresh
//     processes, the median of three.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const [host, mode] = process.argv.slice(2);
const quick = mode === '--quick';
const iterations = quick ? 200 : 20_000;
const rounds = quick ? 3 : 9;

/** Runs a bench script in the host; its one JSON line. */
function runBench(name, prelude = '') {
  const dir = mkdtempSync(path.join(tmpdir(), 'werun-rn-bench-'));
  try {
    const script = path.join(dir, name);
    writeFileSync(script, prelude + readFileSync(path.join(import.meta.dirname, name), 'utf8'));
    const output = execFileSync(path.resolve(host), [script], { encoding: 'utf8', maxBuffer: 1 << 24 });
    const line = output.split('\n').find((l) => l.startsWith('{'));
    if (line === undefined) throw new Error(`${name} printed no figures:\n${output}`);
    return JSON.parse(line);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ns = runBench('round-trip.js', `globalThis.iterations = ${iterations}; globalThis.rounds = ${rounds};\n`);
const inFlight = Array.from({ length: 3 }, () => runBench('in-flight.js')).sort((a, b) => a.total - b.total)[1];

const fmt = (n) => (n >= 1000 ? `${(n / 1000).toFixed(2)} µs` : `${n.toFixed(0)} ns`);
const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(2)} MiB`;
// The budgets the Node-API module is held to (bench/compare.mjs), where the
// same measure exists here.
console.log('| measure | werun | floor | ratio | budget | met |');
console.log('|---|---|---|---|---|---|');
for (const [name, ours, budget] of [
  ['JS round trip: TurboModule checkSession vs bare JSI promise through the CallInvoker', ns.checkSession, 1.3],
  ['JS round trip with one JS hook call: TurboModule login (JS host) vs bare JSI promise', ns.login, null],
]) {
  const ratio = ours / ns.floor;
  const met = budget === null ? '' : ratio <= budget ? 'yes' : 'no';
  console.log(`| ${name} | ${fmt(ours)} | ${fmt(ns.floor)} | ${ratio.toFixed(2)}× the floor | ${budget === null ? '' : `≤ ${budget}×`} | ${met} |`);
}
console.log(
  `| 10 000 getWeRunData calls in flight through the TurboModule (JSC heap ${mib(inFlight.jsHeap)} + malloc ${mib(inFlight.malloc)}; resident set +${mib(inFlight.rss)}) | ${mib(inFlight.total)} | | | ≤ 3 MiB | ${inFlight.total <= 3 * 2 ** 20 ? 'yes' : 'no'} |`,
);
console.log(`\nrn compare: ${quick ? 'quick mode (ratios not meaningful)' : `${iterations} calls × ${rounds} rounds each`}`);
