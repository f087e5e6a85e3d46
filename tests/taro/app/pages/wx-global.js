// WeChat's global, as mini-program code calls it.
/* global wx */
export const page = {
  getWeRunData: (option) => wx.getWeRunData(option),
};
