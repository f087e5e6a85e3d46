// The shared conformance suites (bindings/js/conformance), run under Node.js
// against the real Node-API addon; the React Native binding runs the same
// cases in a JSI runtime. The shared lifecycle suite runs in
// lifecycle.test.mjs, which run.sh also runs under valgrind.
import { beforeEach, describe, test } from 'node:test';

import { suites } from '../../js/conformance/index.mjs';
import { platform, werun } from './helpers.mjs';

for (const name of ['calls', 'host', 'roundtrip']) {
  describe(name, () => suites[name]({ werun, platform, describe, test, beforeEach }));
}
