/*
 * installWeRun(Taro, werun): puts werun's getWeRunData, login and
 * checkSession on a Taro object, so existing Taro code works unchanged:
 *
 *   import Taro from '@tarojs/taro';
 *   installWeRun(Taro, werun);
 *   const res = await Taro.getWeRunData();   // werun's, not Taro's stub
 *
 * Written once, in TypeScript that is also valid ArkTS (no `any`, no method
 * reassignment, function-typed properties only), and shared by the HarmonyOS
 * HAR (bindings/harmony/Index.ets, which imports a copy named
 * installWeRun.ets: OpenHarmony's compiler resolves 'libwerun.so' only from
 * .ets files) and the React Native package.
 *
 * The types come from the module's own declarations ('libwerun.so', mapped
 * by tsconfig `paths` here and resolved by ohpm in the HAR), so ArkTS sees
 * one nominal type per shape. The import is type-only: the emitted JS has no
 * import at all.
 */
import type {
  CallbackResult,
  CheckSessionOption,
  GetWeRunDataOption,
  GetWeRunDataSuccess,
  LoginOption,
  LoginSuccess,
  WeRunCalls,
} from 'libwerun.so';

export type { WeRunCalls };

/**
 * The part of a Taro object installWeRun replaces: three writable
 * function-typed properties, as Taro's default export has them. Pass
 * `Taro` from `import Taro from '@tarojs/taro'`, not a module namespace
 * (`import * as Taro`), whose properties cannot be assigned.
 */
export interface TaroLike {
  getWeRunData: (option?: GetWeRunDataOption) => Promise<GetWeRunDataSuccess>;
  login: (option?: LoginOption) => Promise<LoginSuccess>;
  checkSession: (option?: CheckSessionOption) => Promise<CallbackResult>;
}

/**
 * Replaces `taro.getWeRunData`, `taro.login` and `taro.checkSession` with
 * functions that forward their one argument to `werun`'s, and returns
 * `taro`. Results, callback order and errMsg strings are werun's. Calling it
 * again re-points them at the latest `werun`.
 */
export function installWeRun<T extends TaroLike>(taro: T, werun: WeRunCalls): T {
  taro.getWeRunData = (option?: GetWeRunDataOption): Promise<GetWeRunDataSuccess> => werun.getWeRunData(option);
  taro.login = (option?: LoginOption): Promise<LoginSuccess> => werun.login(option);
  taro.checkSession = (option?: CheckSessionOption): Promise<CallbackResult> => werun.checkSession(option);
  return taro;
}
