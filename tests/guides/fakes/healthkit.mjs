// A stand-in for @kingstinct/react-native-healthkit 16.x, answering as
// HealthKit's HKStatisticsCollectionQuery does: one statistics per interval
// from the anchor, each with its startDate and endDate, and sumQuantity only
// when the interval has samples.
import { expect, fake, localDateKey, localMidnight } from './state.mjs';

export function isHealthDataAvailable() {
  return true;
}

export async function requestAuthorization(toRequest) {
  fake.calls.push(['requestAuthorization', toRequest]);
  expect(toRequest.toRead?.includes('HKQuantityTypeIdentifierStepCount'), 'reading the step count');
  // HealthKit resolves true once the sheet was shown, whatever the user chose.
  return true;
}

export async function queryStatisticsCollectionForQuantity(identifier, statistics, anchorDate, intervalComponents, options) {
  fake.calls.push(['queryStatisticsCollectionForQuantity', identifier, statistics, anchorDate, intervalComponents, options]);
  expect(identifier === 'HKQuantityTypeIdentifierStepCount', 'the step count');
  expect(statistics.includes('cumulativeSum'), 'the cumulative sum');
  expect(anchorDate instanceof Date, 'a Date anchor');
  expect(intervalComponents.day === 1 && Object.keys(intervalComponents).length === 1, 'one-day intervals');
  const { startDate, endDate } = options?.filter?.date ?? {};
  expect(startDate instanceof Date && endDate instanceof Date, 'a date filter');
  const days = [];
  for (let from = anchorDate; from < endDate; ) {
    const to = new Date(from.getFullYear(), from.getMonth(), from.getDate() + 1, from.getHours(), from.getMinutes());
    if (to > startDate) {
      const whole = from.getTime() === localMidnight(from).getTime();
      const steps = whole ? fake.steps.get(localDateKey(from)) : undefined;
      days.push({
        startDate: from,
        endDate: to,
        sumQuantity: steps === undefined ? undefined : { unit: 'count', quantity: steps },
        sources: [],
      });
    }
    from = to;
  }
  return days;
}
