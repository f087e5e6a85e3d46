/*
 * react-native-werun: werun's getWeRunData, login and checkSession for React
 * Native and Taro RN apps, with the same API, types and results as the
 * HarmonyOS module (@werun/harmony):
 *
 *   import werun, { installWeRun } from 'react-native-werun';
 *   werun.configure({ appid: 'wx4f4bc4dec97d474b' });
 *   werun.setHostImplementation(host);       // the step source
 *   installWeRun(Taro);                       // Taro.getWeRunData is werun's now
 *
 * Everything here forwards to the C++ TurboModule; the rules live in werun's
 * Rust core. The types are the HarmonyOS module's declarations, one source
 * for both platforms: src/vendor/ holds copies of them and of installWeRun.ts,
 * made by bindings/common/vendor.mjs (npm's prepack runs it).
 */
import type {
  AuthorizationState,
  CallbackResult,
  CheckSessionOption,
  ConfigureOptions,
  GetWeRunDataOption,
  GetWeRunDataSuccess,
  LoginOption,
  LoginSuccess,
  WeRunData,
  WeRunHost,
  WeRunModule,
} from './vendor/types';
import { installWeRun as installWeRunWith } from './vendor/installWeRun';
import type { TaroLike } from './vendor/installWeRun';
import NativeWeRun from './NativeWeRun';

// Every type of the HarmonyOS module's declarations: one source for both platforms.
export type * from './vendor/types';
export type { TaroLike };

/**
 * The module: `NativeWeRun` under its precise types. The C++ module checks
 * every argument and throws what these types document.
 */
const werun = NativeWeRun as unknown as WeRunModule;
export default werun;

/** Sets the appid and settings; see WeRunModule.configure. Throws a TypeError or a WeRunError. */
export function configure(options: ConfigureOptions): void {
  werun.configure(options);
}
/** Installs (or, with null, clears) the JS host; see WeRunModule.setHostImplementation. */
export function setHostImplementation(host: WeRunHost | null): void {
  werun.setHostImplementation(host);
}
/** The last 31 days of steps, sealed; see WeRunModule.getWeRunData. */
export function getWeRunData(option?: GetWeRunDataOption): Promise<GetWeRunDataSuccess> {
  return werun.getWeRunData(option);
}
/** Logs in through the host; see WeRunModule.login. */
export function login(option?: LoginOption): Promise<LoginSuccess> {
  return werun.login(option);
}
/** Whether the session is live; see WeRunModule.checkSession. */
export function checkSession(option?: CheckSessionOption): Promise<CallbackResult> {
  return werun.checkSession(option);
}
/** The `scope.werun` state; see WeRunModule.getAuthorization. */
export function getAuthorization(): AuthorizationState {
  return werun.getAuthorization();
}
/** Sets the `scope.werun` state; see WeRunModule.setAuthorization. */
export function setAuthorization(state: AuthorizationState): void {
  werun.setAuthorization(state);
}
/** Drops the session; see WeRunModule.logout. */
export function logout(): void {
  werun.logout();
}
/** Decrypts open data; see WeRunModule.decryptOpenData. Throws a WeRunError. */
export function decryptOpenData(sessionKey: string, encryptedData: string, iv: string, appid?: string): Object {
  return werun.decryptOpenData(sessionKey, encryptedData, iv, appid);
}
/** Decrypts a WeRun payload; see WeRunModule.decryptWeRunData. Throws a WeRunError. */
export function decryptWeRunData(sessionKey: string, encryptedData: string, iv: string, appid: string): WeRunData {
  return werun.decryptWeRunData(sessionKey, encryptedData, iv, appid);
}

/**
 * Replaces Taro's getWeRunData, login and checkSession (undefined on React
 * Native) with werun's, and returns `taro`. Call configure (and, for real
 * data, setHostImplementation) first.
 */
export function installWeRun<T extends TaroLike>(taro: T): T {
  return installWeRunWith(taro, werun);
}
