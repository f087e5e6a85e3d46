#!/usr/bin/env node
// Copies the files a binding package shares with the rest of the repository
// into the package, so that what npm packs (or hvigor builds) needs nothing
// outside its own directory. The copies are generated, never committed
// (.gitignore), and never edited: change the source and run this again.
//
// Usage: node bindings/common/vendor.mjs <react-native|harmony>...
//   react-native: werun.h and js_api.h into cpp/vendor/; the module's type
//     declarations and installWeRun.ts into src/vendor/; the licenses.
//   harmony: installWeRun.ts into src/main/ets/vendor/ as installWeRun.ets:
//     OpenHarmony's compiler resolves 'libwerun.so' only from .ets files (a
//     .ts file gets warning 28014 and `any` for every type it imports), and
//     the file is valid ArkTS (tests/ets-check runs the ArkTS linter on it).
// Run by each package's tests, by react-native-werun's prepack script and by
// the HAR's hvigorfile.ts.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  ],
  harmony: [{ from: 'bindings/js/src/installWeRun.ts', to: 'bindings/harmony/src/main/ets/vendor/installWeRun.ets' }],
};

const names = process.argv.slice(2);
if (names.length === 0 || names.some((name) => !(name in packages))) {
  console.error(`usage: vendor.mjs <${Object.keys(packages).join('|')}>...`);
  process.exit(2);
}

// The HAR's copy used to be installWeRun.ts, which Index.ets's import would
// still find: remove it.
if (names.includes('harmony')) rmSync(join(root, 'bindings/harmony/src/main/ets/vendor/installWeRun.ts'), { force: true });

for (const name of names) {
  for (const { from, to, edit = (text) => text, banner = true } of packages[name]) {
    const note = `// Generated from ${from} by bindings/common/vendor.mjs: edit that file, not this copy.\n`;
    const text = (banner ? note : '') + edit(readFileSync(join(root, from), 'utf8'));
    const target = join(root, to);
    mkdirSync(dirname(target), { recursive: true });
    // Unchanged copies keep their mtime, so incremental builds stay incremental.
    let old = null;
    try {
      old = readFileSync(target, 'utf8');
    } catch {}
    if (old !== text) {
      writeFileSync(target, text);
      console.error(`vendor.mjs: wrote ${relative(root, target)}`);
    }
  }
}
