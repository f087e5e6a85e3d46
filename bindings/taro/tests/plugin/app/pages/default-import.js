// Page code as on WeChat: the default export.
import Taro from '@tarojs/taro';

export const page = {
  login: (option) => Taro.login(option),
  checkSession: (option) => Taro.checkSession(option),
  getWeRunData: (option) => Taro.getWeRunData(option),
};
