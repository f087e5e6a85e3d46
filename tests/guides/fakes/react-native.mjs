// A stand-in for react-native: only Platform.OS, which the test sets.
import { fake } from './state.mjs';

export const Platform = {
  get OS() {
    return fake.platform;
  },
};
