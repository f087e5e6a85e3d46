// A stand-in for HarmonyOS's '@kit.HealthServiceKit' (healthStore), in the
// shapes Huawei's guides document: init(context), requestAuthorizations
// answering the granted read types, and aggregateData over daily
// activities grouped by day, with local dates as 'MM/DD/YYYY' and results
// of { startTime, endTime, fields: { step: { sum } } } (ms since the epoch).
import { expect, fake, localDateKey, localMidnight } from './state.mjs';

const DAILY_ACTIVITIES = Object.freeze({ id: 10010, name: 'dailyActivities' });
let initialized = false;

const parseLocalDate = (text) => {
  const match = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text);
  expect(match, `a local date is 'MM/DD/YYYY', not ${JSON.stringify(text)}`);
  return new Date(Number(match[3]), Number(match[1]) - 1, Number(match[2]));
};

export const healthStore = {
  GroupUnitType: Object.freeze({ DAY: 3 }),
  samplePointHelper: { dailyActivities: { DATA_TYPE: DAILY_ACTIVITIES } },

  async init(context) {
    fake.calls.push(['init', context]);
    initialized = true;
  },

  async requestAuthorizations(context, request) {
    fake.calls.push(['requestAuthorizations', context, request]);
    expect(initialized, 'init comes first');
    expect(Array.isArray(request.readDataTypes) && Array.isArray(request.writeDataTypes), 'read and write type lists');
    return { readDataTypes: fake.grant ? [...request.readDataTypes] : [], writeDataTypes: [] };
  },

  async aggregateData(request) {
    fake.calls.push(['aggregateData', request]);
    expect(initialized, 'init comes first');
    expect(request.dataType === DAILY_ACTIVITIES, 'the daily activities data type');
    expect(request.groupBy?.unitType === 3, 'grouped by day');
    expect(request.metrics?.step?.includes('sum'), 'the sum of steps');
    const first = parseLocalDate(request.startLocalDate);
    const last = parseLocalDate(request.endLocalDate);
    expect(first <= last, 'a start date no later than the end date');
    const results = [];
    for (let day = first; day <= last; day = localMidnight(day, 1)) {
      const steps = fake.steps.get(localDateKey(day));
      if (steps === undefined) continue;
      results.push({
        startTime: day.getTime(),
        endTime: localMidnight(day, 1).getTime() - 1,
        fields: { step: { sum: steps } },
      });
    }
    return results;
  },
};
