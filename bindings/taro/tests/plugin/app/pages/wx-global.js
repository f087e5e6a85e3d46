// Page code as on WeChat: the `wx` global, which vite-runner injects as
// `import * as wx from '@tarojs/taro'` (@rollup/plugin-inject).
/* global wx */
export const page = {
  login: (option) => wx.login(option),
  checkSession: (option) => wx.checkSession(option),
  getWeRunData: (option) => wx.getWeRunData(option),
};
