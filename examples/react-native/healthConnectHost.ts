/*
 * A werun host for React Native on Android over Health Connect, through
 * react-native-health-connect (4.x): steps aggregated per local day by
 * aggregateGroupByPeriod, and the Steps read permission as werun's
 * `scope.werun`.
 *
 *   import werun, { installWeRun } from 'react-native-werun';
 *   import { healthConnectHost } from './healthConnectHost';
 *
 *   werun.configure({ appid: 'wx...' });
 *   werun.setHostImplementation(healthConnectHost(loginWithYourBackend));
 *   installWeRun(Taro);
 *
 * UNTESTED ON A DEVICE. tests/guides/run.sh type-checks this file against
 * react-native-health-connect's own declarations and runs it under Node
 * against werun's Node-API module, with a stand-in for the library that
 * answers as its Android code does (period buckets of LocalDateTime strings).
 */
import { aggregateGroupByPeriod, initialize, requestPermission } from 'react-native-health-connect';
import type { LoginAnswer, StepSample, WeRunHost } from 'react-native-werun';

/** werun's window: today and the 30 days before it. */
const DAYS = 31;

/**
 * The host. `login` is the app's own: it resolves the code from its login
 * and the session key its backend shares (see werun's backend guide).
 */
export function healthConnectHost(login: () => Promise<LoginAnswer>): WeRunHost {
  let initialized: Promise<boolean> | null = null;
  const ready = async () => {
    initialized ??= initialize();
    if (!(await initialized)) throw new Error('Health Connect is not available on this device');
  };

  return {
    login,

    // Asked while scope.werun is notDetermined; werun remembers the answer,
    // so a refusal fails every later call with 'auth deny'.
    async authorize() {
      await ready();
      const granted = await requestPermission([{ accessType: 'read', recordType: 'Steps' }]);
      return granted.some((p) => p.accessType === 'read' && p.recordType === 'Steps');
    },

    // One bucket per local day, from local midnight 30 days ago to now.
    // Health Connect returns the buckets' bounds as local date-times
    // ('2026-11-29T00:00'), which Date.parse reads as local time.
    async getSteps(): Promise<StepSample[]> {
      await ready();
      const now = new Date();
      const first = new Date(now.getFullYear(), now.getMonth(), now.getDate() - (DAYS - 1));
      const buckets = await aggregateGroupByPeriod({
        recordType: 'Steps',
        timeRangeFilter: { operator: 'between', startTime: first.toISOString(), endTime: now.toISOString() },
        timeRangeSlicer: { period: 'DAYS', length: 1 },
      });
      return buckets.map((bucket) => {
        // The middle of the local day: werun files it under the day that holds
        // it at its configured UTC offset (see the React Native guide).
        const middle = (Date.parse(bucket.startTime) + Date.parse(bucket.endTime)) / 2;
        return { timestamp: Math.floor(middle / 1000), step: Math.round(bucket.result.COUNT_TOTAL ?? 0) };
      });
    },
  };
}
