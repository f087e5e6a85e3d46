// hvigor's build script for this module: a HAR (see build-profile.json5).
import { harTasks } from '@ohos/hvigor-ohos-plugin';

export default {
  system: harTasks,
  plugins: []
};
