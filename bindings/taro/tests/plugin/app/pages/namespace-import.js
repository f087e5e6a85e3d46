// Page code: a namespace import (vite-runner's taroapi transform drops the
// namespace binding; werun's plugin makes it the default import first).
import * as Taro from '@tarojs/taro';

export const page = {
  login: (option) => Taro.login(option),
  checkSession: (option) => Taro.checkSession(option),
  getWeRunData: (option) => Taro.getWeRunData(option),
};
