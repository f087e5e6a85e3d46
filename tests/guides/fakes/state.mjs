// What the stand-ins for the health libraries share with the test: the
// user's steps per local day, whether the user grants reading them, and the
// requests the host made. Days are 'YYYY-MM-DD' in the process's time zone,
// as the platforms' own daily aggregates are.
export const fake = {
  /** Steps per local date; a day that is absent has no data. */
  steps: new Map(),
  /** Whether the permission sheet grants reading steps. */
  grant: true,
  /** Every call the host made, as [name, ...arguments]. */
  calls: [],
};

export function resetFake({ steps = new Map(), grant = true } = {}) {
  fake.steps = steps;
  fake.grant = grant;
  fake.calls = [];
}

/** The local date of `date`: 'YYYY-MM-DD'. */
export function localDateKey(date) {
  const mm = String(date.getMonth() + 1).padStart(2, '0');
  const dd = String(date.getDate()).padStart(2, '0');
  return `${date.getFullYear()}-${mm}-${dd}`;
}

/** Local midnight of `date`, plus `days` days. */
export function localMidnight(date, days = 0) {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate() + days);
}

/** Throws unless `condition`: a request the real library would refuse or misread. */
export function expect(condition, what) {
  if (!condition) throw new Error(`stand-in: ${what}`);
}

/** Platform.OS, as the stand-in for react-native reports it. */
fake.platform = 'android';
