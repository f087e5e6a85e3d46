// A module namespace, not Taro's default export.
import * as Taro from '@tarojs/taro';

export const page = {
  getWeRunData: (option) => Taro.getWeRunData(option),
};
