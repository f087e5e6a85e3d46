#!/usr/bin/env node
// Checks the HAR's ArkTS with OpenHarmony's own compiler and ArkTS linter,
// reached as DevEco's build (ets-loader, compiler/src/ets_checker.ts and
// do_arkTS_linter.ts in openharmony/developtools_ace_ets2bundle) reaches
// them: ohos-typescript's createIncrementalProgramForArkTs with
// needDoArkTsLinter set (standard mode, not compatible mode), the program's
// syntactic and semantic diagnostics, then ArkTSLinter_1_1.runArkTSLinter.
//
//   node check.mjs har        the HAR as hvigor builds it (after
//                             `node bindings/common/vendor.mjs harmony`):
//                             Index.ets, src/main/ets/**, the types of
//                             libwerun.so, and examples/harmony/*.ets with
//                             the Health Service Kit stand-in. Must give 0
//                             errors and 0 warnings.
//   node check.mjs fixtures DIR
//                             the files in fixtures/DIR (planted: ArkTS
//                             violations; consumers: app pages using the
//                             HAR, rightly and wrongly), checked with the
//                             HAR: each must give exactly the errors its
//                             `// expect: CODE...` comments name on the line
//                             below them (a file with none, none), and the
//                             HAR still none.
//
// Modules resolve as in an app: '@werun/harmony' to the HAR's Index.ets (its
// oh-package.json5 `main`), 'libwerun.so' to types/libwerun (its ohpm
// dependency), '@ohos.*', '@kit.*' and '@arkts.*' to @arkts/declarations
// (the OpenHarmony SDK's declarations), and '@kit.HealthServiceKit', which is
// HMS and on no registry, to stand-ins/@kit.HealthServiceKit.d.ts.
//
// Prints every diagnostic as file:line:col, category, code and message, then
// the number of files checked and of diagnostics; exits 1 on a failure.
// ETS_CHECK_SHOW_SDK=1 also prints the diagnostics in the SDK's declarations.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ts = require('ohos-typescript');

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..', '..', '..');
const har = join(root, 'bindings', 'harmony');
const declarations = dirname(require.resolve('@arkts/declarations/dist/tsconfig.base.json'));

const listEts = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return listEts(path);
    return /\.(ets|ts)$/.test(name) ? [path] : [];
  });

// What hvigor compiles for the HAR, and the example a host author copies.
const harFiles = () => [
  join(har, 'Index.ets'),
  ...listEts(join(har, 'src', 'main', 'ets')),
  join(har, 'types', 'libwerun', 'index.d.ts'),
  ...listEts(join(root, 'examples', 'harmony')),
];

// '@ohos.*', '@kit.*', '@arkts.*' as @arkts/declarations maps them (its
// tsconfig.base.json), made absolute; then the HAR, its .so and the stand-in.
const paths = () => {
  const base = ts.parseConfigFileTextToJson(
    'tsconfig.base.json',
    readFileSync(join(declarations, 'tsconfig.base.json'), 'utf8'),
  ).config.compilerOptions.paths;
  const mapped = {};
  for (const [name, targets] of Object.entries(base)) mapped[name] = targets.map((t) => resolve(declarations, t));
  mapped['@werun/harmony'] = [join(har, 'Index.ets')];
  mapped['libwerun.so'] = [join(har, 'types', 'libwerun', 'index.d.ts')];
  mapped['@kit.HealthServiceKit'] = [join(here, 'stand-ins', '@kit.HealthServiceKit.d.ts')];
  return mapped;
};

// ets-loader's options (its tsconfig.json's compilerOptions, then those
// setCompilerOptions assigns) for a stage-model ES module build at the
// default target, with the linter in standard mode. Left out: the UI
// settings (`ets`: components, decorators), as nothing here declares a UI,
// and the incremental build info, as every run starts clean.
const compilerOptions = () => ({
  allowJs: true,
  checkJs: false,
  allowSyntheticDefaultImports: true,
  esModuleInterop: true,
  noImplicitAny: false,
  experimentalDecorators: true,
  resolveJsonModule: true,
  skipLibCheck: true,
  alwaysStrict: true,
  importsNotUsedAsValues: ts.ImportsNotUsedAsValues.Remove,
  module: ts.ModuleKind.ES2020,
  moduleResolution: ts.ModuleResolutionKind.NodeJs,
  noEmit: true,
  target: ts.ScriptTarget.ES2021,
  lib: ['lib.es2021.d.ts'],
  types: [],
  typeRoots: [],
  baseUrl: root,
  paths: paths(),
  needDoArkTsLinter: true,
  isCompatibleVersion: false,
  packageManagerType: 'ohpm',
});

const categories = { 0: 'warning', 1: 'error', 2: 'suggestion', 3: 'message' };

const describe = (diagnostic, source) => {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
  const category = categories[diagnostic.category] ?? String(diagnostic.category);
  if (!diagnostic.file) return { file: null, line: 0, text: `${source} ${category} ${diagnostic.code}: ${message}` };
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
  const file = relative(root, diagnostic.file.fileName);
  return {
    file: diagnostic.file.fileName,
    line: line + 1,
    code: diagnostic.code,
    category,
    message,
    text: `${file}:${line + 1}:${character + 1}: ${source} ${category} ${diagnostic.code}: ${message}`,
  };
};

// One build, as ets-loader runs it: the program's diagnostics, then the
// linter's. Like ets-loader, it adds the SDK's global declarations (console,
// setTimeout, ...) to the files it is given.
const check = (files) => {
  const rootNames = [...files, join(declarations, 'global.d.ts')];
  const options = compilerOptions();
  const host = ts.createIncrementalCompilerHost(options);
  const builder = ts.createIncrementalProgramForArkTs({ rootNames, options, host });
  const compiler = [...builder.getSyntacticDiagnostics(), ...builder.getSemanticDiagnostics()].map((d) =>
    describe(d, 'tsc'),
  );
  const linter = ts.ArkTSLinter_1_1.runArkTSLinter(builder, undefined, undefined, 'ArkTS_1_1').map((d) =>
    describe(d, 'arkts-linter'),
  );
  return [...compiler, ...linter];
};

// Diagnostics in the pinned packages (the SDK's declarations) are the SDK's
// own; DevEco does not show an app those either. Every other one counts.
const sdk = join(here, 'node_modules') + '/';
const ours = (diagnostic) => diagnostic.file === null || !diagnostic.file.startsWith(sdk);

const checkHar = () => {
  const files = harFiles();
  const all = check(files);
  const diagnostics = all.filter(ours);
  if (all.length > diagnostics.length) {
    console.log(`ets-check: (${all.length - diagnostics.length} diagnostics in the SDK's own declarations, not counted)`);
    if (process.env.ETS_CHECK_SHOW_SDK) for (const d of all.filter((d) => !ours(d))) console.log(`  (sdk) ${d.text}`);
  }
  for (const d of diagnostics) console.log(d.text);
  console.log(`ets-check: ${files.length} files checked (${files.map((f) => relative(root, f)).join(', ')})`);
  console.log(`ets-check: ${diagnostics.length} diagnostics (errors and warnings)`);
  return diagnostics.length === 0;
};

// `// expect: 2339 arkts-no-any-unknown` names the errors the next line must
// give: a number is a compiler or linter code, a word a linter rule (the
// `(arkts-...)` its message ends with).
const expectations = (file) => {
  const wanted = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((text, index) => {
      const match = /\/\/ expect: (.*)$/.exec(text);
      if (match) for (const what of match[1].trim().split(/\s+/)) wanted.push({ line: index + 2, what });
    });
  return wanted;
};

const matches = (diagnostic, { line, what }) =>
  diagnostic.category === 'error' &&
  diagnostic.line === line &&
  (/^\d+$/.test(what) ? diagnostic.code === Number(what) : diagnostic.message.endsWith(`(${what})`));

// The fixtures of one directory, checked with the HAR: each gives exactly
// the errors it expects, and the HAR still gives none.
const checkFixtures = (dir) => {
  const fixtures = listEts(join(here, 'fixtures', dir));
  if (fixtures.length === 0) throw new Error(`no fixtures in fixtures/${dir}`);
  const diagnostics = check([...harFiles(), ...fixtures]).filter(ours);
  let ok = true;
  for (const d of diagnostics.filter((d) => !fixtures.includes(d.file))) {
    console.log(`unexpected, outside the fixtures: ${d.text}`);
    ok = false;
  }
  for (const fixture of fixtures) {
    const found = diagnostics.filter((d) => d.file === fixture);
    const wanted = expectations(fixture);
    const missing = wanted.filter((w) => !found.some((d) => matches(d, w)));
    const unexpected = found.filter((d) => !wanted.some((w) => matches(d, w)));
    for (const d of found) console.log(`${unexpected.includes(d) ? 'unexpected' : 'expected'}: ${d.text}`);
    for (const w of missing) console.log(`missing: ${relative(root, fixture)}:${w.line}: an error ${w.what}`);
    const fine = missing.length === 0 && unexpected.length === 0;
    console.log(
      `ets-check: ${fine ? 'ok' : 'FAILED'}: ${relative(root, fixture)}: ` +
        `${found.length} diagnostics, ${wanted.length} expected`,
    );
    ok &&= fine;
  }
  console.log(`ets-check: fixtures/${dir}: ${fixtures.length} fixtures checked with the HAR, ${diagnostics.length} diagnostics`);
  return ok;
};

const [mode, dir] = process.argv.slice(2);
if (mode === 'har' && dir === undefined) {
  process.exit(checkHar() ? 0 : 1);
} else if (mode === 'fixtures' && /^[a-z-]+$/.test(dir ?? '')) {
  process.exit(checkFixtures(dir) ? 0 : 1);
} else {
  console.error('usage: check.mjs har | check.mjs fixtures <planted|consumers>');
  process.exit(2);
}
