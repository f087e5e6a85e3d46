// The app's entry: where an app calls installWeRun(Taro, werun). It hands its
// Taro (the default export, as its own build resolves and transforms it) to
// the test, which installs werun on it.
import Taro from '@tarojs/taro';

export { Taro };
