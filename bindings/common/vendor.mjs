#!/usr/bin/env node
// Copies the files a binding package shares with the rest of the repository
// into the package, so that what npm packs (or hvigor builds) needs nothing
// outside its own directory. The copies are generated, never committed
// (.gitignore), and never edited: change the source and run this again.
//
// Usage: node bindings/common/vendor.mjs <react-native|harmony|taro>...
//   react-native: werun.h and js_api.h into cpp/vendor/; the module's type
//     declarations and installWeRun.ts into src/vendor/; the licenses;
//     WerunRust.cmake into android/vendor/; and werun's crate, as
//     `cargo package` makes it for crates.io, into rust/, which the app's
//     build compiles (android/CMakeLists.txt, the podspec's script phase).
//   harmony: installWeRun.ts into src/main/ets/vendor/ as installWeRun.ets:
//     OpenHarmony's compiler resolves 'libwerun.so' only from .ets files (a
//     .ts file gets warning 28014 and `any` for every type it imports), and
//     the file is valid ArkTS (tests/ets-check runs the ArkTS linter on it).
//   taro: for @werun/taro-plugin's hybrid page module, installWeRun's built
//     JS (bindings/js/dist/installWeRun.js) and the module's type
//     declarations into hybrid/vendor/.
// Run by each package's tests, by react-native-werun's prepack script and by
// the HAR's hvigorfile.ts.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

// installWeRun.ts names the module's types as OHOS resolves them
// ('libwerun.so'); in react-native-werun they sit next to it.
const typesBesideIt = (text) => {
  const rewritten = text.replace("from 'libwerun.so';", "from './types';");
  if (rewritten === text) throw new Error("installWeRun.ts no longer imports from 'libwerun.so'");
  return rewritten;
};

const packages = {
  'react-native': [
    { from: 'include/werun.h', to: 'bindings/react-native/cpp/vendor/werun.h' },
    { from: 'bindings/common/js_api.h', to: 'bindings/react-native/cpp/vendor/js_api.h' },
    { from: 'bindings/harmony/types/libwerun/index.d.ts', to: 'bindings/react-native/src/vendor/types.d.ts' },
    { from: 'bindings/js/src/installWeRun.ts', to: 'bindings/react-native/src/vendor/installWeRun.ts', edit: typesBesideIt },
    { from: 'LICENSE-MIT', to: 'bindings/react-native/LICENSE-MIT', banner: false },
    { from: 'LICENSE-APACHE', to: 'bindings/react-native/LICENSE-APACHE', banner: false },
    { from: 'bindings/common/WerunRust.cmake', to: 'bindings/react-native/android/vendor/WerunRust.cmake', comment: '#' },
    { crate: 'bindings/react-native/rust' },
  ],
  harmony: [{ from: 'bindings/js/src/installWeRun.ts', to: 'bindings/harmony/src/main/ets/vendor/installWeRun.ets' }],
  // Needs bindings/js built (`npm ci && npm run build` there): the page runs
  // installWeRun's emitted JS, which imports nothing.
  taro: [
    { from: 'bindings/js/dist/installWeRun.js', source: 'bindings/js/src/installWeRun.ts', to: 'bindings/taro/hybrid/vendor/installWeRun.js' },
    { from: 'bindings/harmony/types/libwerun/index.d.ts', to: 'bindings/taro/hybrid/vendor/types.d.ts' },
  ],
};

const names = process.argv.slice(2);
if (names.length === 0 || names.some((name) => !(name in packages))) {
  console.error(`usage: vendor.mjs <${Object.keys(packages).join('|')}>...`);
  process.exit(2);
}

// The HAR's copy used to be installWeRun.ts, which Index.ets's import would
// still find: remove it.
if (names.includes('harmony')) rmSync(join(root, 'bindings/harmony/src/main/ets/vendor/installWeRun.ts'), { force: true });

// Writes `content` to `target` unless it already holds it: unchanged copies
// keep their mtime, so incremental builds (cargo's, CMake's) stay incremental.
const writeIfChanged = (target, content) => {
  let old = null;
  try {
    old = readFileSync(target);
  } catch {}
  if (old === null || !old.equals(Buffer.from(content))) {
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
    console.error(`vendor.mjs: wrote ${relative(root, target)}`);
  }
};

const filesUnder = (dir, base = dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name), base) : [relative(base, join(dir, entry.name))],
  );

// werun's crate as crates.io would get it: `cargo package` (not verified, so
// nothing is compiled), extracted. Its Cargo.toml is cargo's normalised one,
// which names only the files the package holds.
const vendorCrate = (to) => {
  const work = mkdtempSync(join(tmpdir(), 'werun-vendor-'));
  try {
    execFileSync(
      process.env.CARGO ?? 'cargo',
      ['package', '--no-verify', '--allow-dirty', '--locked', '--quiet', '--target-dir', work],
      { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] },
    );
    const [crate] = readdirSync(join(work, 'package')).filter((name) => name.endsWith('.crate'));
    const unpacked = join(work, 'unpacked');
    mkdirSync(unpacked);
    execFileSync('tar', ['-xzf', join(work, 'package', crate), '-C', unpacked, '--strip-components=1']);
    // The VCS note names the commit (it would differ each time), and npm
    // never packs *.orig files: neither is a source.
    const files = filesUnder(unpacked).filter((file) => !['.cargo_vcs_info.json', 'Cargo.toml.orig'].includes(file));
    const target = join(root, to);
    for (const file of files) writeIfChanged(join(target, file), readFileSync(join(unpacked, file)));
    const kept = new Set(files);
    let stale = [];
    try {
      stale = filesUnder(target).filter((file) => !kept.has(file));
    } catch {}
    for (const file of stale) rmSync(join(target, file));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
};

for (const name of names) {
  for (const { from, source = from, to, crate, edit = (text) => text, banner = true, comment = '//' } of packages[name]) {
    if (crate) {
      vendorCrate(crate);
      continue;
    }
    const note = `${comment} Generated from ${from} by bindings/common/vendor.mjs: edit ${source}, not this copy.\n`;
    writeIfChanged(join(root, to), (banner ? note : '') + edit(readFileSync(join(root, from), 'utf8')));
  }
}
