/*
 * The app side of the React Native guide: configure werun, pick the host of
 * the platform (HealthKit on iOS, Health Connect on Android) and put werun's
 * getWeRunData, login and checkSession on Taro. Call it once at startup,
 * before any page calls Taro.getWeRunData.
 *
 *   import Taro from '@tarojs/taro';
 *   setUpWeRun(Taro, 'wx4f4bc4dec97d474b', loginWithYourBackend);
 *
 * tests/guides/run.sh type-checks it against react-native's and
 * react-native-werun's types.
 */
import { Platform } from 'react-native';
import werun, { installWeRun } from 'react-native-werun';
import type { LoginAnswer, TaroLike } from 'react-native-werun';

import { healthConnectHost } from './healthConnectHost';
import { healthKitHost } from './healthKitHost';

export function setUpWeRun<T extends TaroLike>(taro: T, appid: string, login: () => Promise<LoginAnswer>): T {
  // The device's own days; drop utcOffsetMinutes for WeChat's (UTC+8).
  werun.configure({ appid, utcOffsetMinutes: -new Date().getTimezoneOffset() });
  werun.setHostImplementation(Platform.OS === 'ios' ? healthKitHost(login) : healthConnectHost(login));
  return installWeRun(taro);
}
