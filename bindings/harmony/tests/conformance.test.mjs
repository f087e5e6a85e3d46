// The shared conformance suites (bindings/js/conformance), run under Node.js
// against the real Node-API addon. The React Native binding runs the same
// cases in a JSI runtime.
import { beforeEach, describe, test } from 'node:test';

import { runConformance } from '../../js/conformance/index.mjs';
import { platform, werun } from './helpers.mjs';

runConformance({ werun, platform, describe, test, beforeEach });
