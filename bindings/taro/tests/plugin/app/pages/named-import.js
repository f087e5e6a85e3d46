// Page code as on WeChat: named imports.
import { checkSession, getWeRunData, login } from '@tarojs/taro';

export const page = {
  login: (option) => login(option),
  checkSession: (option) => checkSession(option),
  getWeRunData: (option) => getWeRunData(option),
};
