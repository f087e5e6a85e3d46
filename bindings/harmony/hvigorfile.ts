// hvigor's build script for this module: a HAR (see build-profile.json5).
// UNTESTED: hvigor has not run this file here (see README.md).
import { harTasks } from '@ohos/hvigor-ohos-plugin';
import { execFileSync } from 'child_process';
import * as path from 'path';

// Index.ets imports the shared installWeRun.ts, copied as
// src/main/ets/vendor/installWeRun.ets (OpenHarmony resolves its
// 'libwerun.so' types only in .ets files), so
// the HAR holds no source from outside the module: copy it in first.
execFileSync(process.execPath, [path.join(__dirname, '..', 'common', 'vendor.mjs'), 'harmony'], {
  stdio: 'inherit',
});

export default {
  system: harTasks,
  plugins: []
};
