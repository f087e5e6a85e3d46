// A stand-in for react-native-health-connect 4.x, answering as its Android
// code does: aggregateGroupByPeriod turns the ISO range into local
// date-times (Instant.atZone(systemDefault)), slices it into periods from
// the start, and answers each bucket's bounds as LocalDateTime strings
// ('2026-11-29T00:00'), the last one ending at the range's end.
import { expect, fake, localDateKey } from './state.mjs';

let initialized = false;
const pad = (n) => String(n).padStart(2, '0');
// java.time.LocalDateTime.toString: seconds only when not zero.
const localDateTime = (date) =>
  `${localDateKey(date)}T${pad(date.getHours())}:${pad(date.getMinutes())}` +
  (date.getSeconds() || date.getMilliseconds() ? `:${pad(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, '0')}` : '');

export async function initialize() {
  fake.calls.push(['initialize']);
  initialized = true;
  return true;
}

export async function requestPermission(permissions) {
  fake.calls.push(['requestPermission', permissions]);
  expect(initialized, 'initialize comes first');
  return fake.grant ? [...permissions] : [];
}

export async function aggregateGroupByPeriod(request) {
  fake.calls.push(['aggregateGroupByPeriod', request]);
  expect(initialized, 'initialize comes first');
  expect(request.recordType === 'Steps', 'Steps records');
  const { timeRangeFilter: range, timeRangeSlicer: slicer } = request;
  expect(range?.operator === 'between', "a 'between' range");
  expect(slicer?.period === 'DAYS' && slicer.length === 1, 'one-day periods');
  const start = new Date(range.startTime);
  const end = new Date(range.endTime);
  expect(!Number.isNaN(start.getTime()) && !Number.isNaN(end.getTime()), 'ISO instants');
  const buckets = [];
  for (let from = start; from < end; ) {
    const next = new Date(from.getFullYear(), from.getMonth(), from.getDate() + 1, from.getHours(), from.getMinutes());
    const to = next < end ? next : end;
    // Only a bucket that starts at local midnight holds one whole day.
    const steps = from.getHours() === 0 && from.getMinutes() === 0 ? fake.steps.get(localDateKey(from)) : undefined;
    if (steps !== undefined) {
      buckets.push({
        result: { COUNT_TOTAL: steps, dataOrigins: ['com.example.pedometer'] },
        startTime: localDateTime(from),
        endTime: localDateTime(to),
      });
    }
    from = next;
  }
  return buckets;
}
