/*
 * Types of @werun/taro-plugin/hybrid: werun's JS API in an ArkWeb page, over
 * the JavaScript proxy the app's ArkTS registers (WeRunWebProxy from
 * @werun/harmony). The shapes are libwerun.so's own declarations
 * (bindings/harmony/types/libwerun/index.d.ts, vendored as
 * ./vendor/types.d.ts). configure, setHostImplementation and the decrypt
 * helpers are not here: they stay in ArkTS.
 */
import type { WeRunModule } from './vendor/types';

export type {
  AuthorizationState,
  CallbackResult,
  CheckSessionOption,
  GetWeRunDataOption,
  GetWeRunDataSuccess,
  LoginOption,
  LoginSuccess,
  WeRunCalls,
} from './vendor/types';

/**
 * What the page gets: the three calls and the scope.werun / session helpers,
 * with libwerun.so's own signatures. getAuthorization answers at once from
 * the ArkTS side; setAuthorization throws the module's TypeError for anything
 * but the three states; logout drops the session (the core zeroizes its key).
 */
export type HybridWeRun = Pick<
  WeRunModule,
  'getWeRunData' | 'login' | 'checkSession' | 'getAuthorization' | 'setAuthorization' | 'logout'
>;

/** Settings of createWeRun. */
export interface CreateWeRunOptions {
  /** The name the proxy was registered under; default WERUN_PROXY_NAME. */
  proxyName?: string;
  /** Where to look for it; default globalThis (window). */
  target?: object;
}

/** 'werunBridge', WeRunWebProxy's default registration name. */
export declare const WERUN_PROXY_NAME: string;
/** werun's page-side API over the proxy named `proxyName`. */
export declare function createWeRun(options?: CreateWeRunOptions): HybridWeRun;

export declare const getWeRunData: HybridWeRun['getWeRunData'];
export declare const login: HybridWeRun['login'];
export declare const checkSession: HybridWeRun['checkSession'];
export declare const getAuthorization: HybridWeRun['getAuthorization'];
export declare const setAuthorization: HybridWeRun['setAuthorization'];
export declare const logout: HybridWeRun['logout'];

/** The API over `window.werunBridge`. */
declare const werun: HybridWeRun;
export default werun;
