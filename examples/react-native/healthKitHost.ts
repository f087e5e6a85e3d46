/*
 * A werun host for React Native on iOS over HealthKit, through
 * @kingstinct/react-native-healthkit (16.x): steps summed per local day by
 * a statistics collection query, and the HealthKit read request as werun's
 * `scope.werun`.
 *
 *   import werun, { installWeRun } from 'react-native-werun';
 *   import { healthKitHost } from './healthKitHost';
 *
 *   werun.configure({ appid: 'wx...' });
 *   werun.setHostImplementation(healthKitHost(loginWithYourBackend));
 *   installWeRun(Taro);
 *
 * HealthKit never tells an app whether the user allowed reading: a refusal
 * looks like a device with no steps. requestAuthorization resolves true once
 * the sheet was shown, so werun records `granted` and a refusal reads as
 * zeros. The app needs NSHealthShareUsageDescription and the HealthKit
 * capability.
 *
 * UNTESTED ON A DEVICE. tests/guides/run.sh type-checks this file against
 * the library's own declarations and runs it under Node against werun's
 * Node-API module, with a stand-in for the library that answers as HealthKit
 * does (one statistics per interval from the anchor).
 */
import {
  isHealthDataAvailable,
  queryStatisticsCollectionForQuantity,
  requestAuthorization,
} from '@kingstinct/react-native-healthkit';
import type { LoginAnswer, StepSample, WeRunHost } from 'react-native-werun';

/** werun's window: today and the 30 days before it. */
const DAYS = 31;
const STEP_COUNT = 'HKQuantityTypeIdentifierStepCount';

/**
 * The host. `login` is the app's own: it resolves the code from its login
 * and the session key its backend shares (see werun's backend guide).
 */
export function healthKitHost(login: () => Promise<LoginAnswer>): WeRunHost {
  const ready = () => {
    if (!isHealthDataAvailable()) throw new Error('HealthKit is not available on this device');
  };

  return {
    login,

    async authorize() {
      ready();
      return requestAuthorization({ toRead: [STEP_COUNT] });
    },

    // Daily sums anchored at local midnight, from 30 days ago to now.
    async getSteps(): Promise<StepSample[]> {
      ready();
      const now = new Date();
      const first = new Date(now.getFullYear(), now.getMonth(), now.getDate() - (DAYS - 1));
      const days = await queryStatisticsCollectionForQuantity(STEP_COUNT, ['cumulativeSum'], first, { day: 1 }, {
        filter: { date: { startDate: first, endDate: now } },
        unit: 'count',
      });
      const samples: StepSample[] = [];
      for (const day of days) {
        if (!day.startDate || !day.endDate) continue;
        // The middle of the local day: werun files it under the day that holds
        // it at its configured UTC offset (see the React Native guide).
        const middle = (day.startDate.getTime() + day.endDate.getTime()) / 2;
        samples.push({ timestamp: Math.floor(middle / 1000), step: Math.round(day.sumQuantity?.quantity ?? 0) });
      }
      return samples;
    },
  };
}
