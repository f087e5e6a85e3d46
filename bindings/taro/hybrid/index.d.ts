/*
 * Types of @werun/taro-plugin/hybrid: werun's JS API in an ArkWeb page, over
 * the JavaScript proxy the app's ArkTS registers (WeRunWebProxy from
 * @werun/harmony). The shapes are libwerun.so's own declarations
 * (bindings/harmony/types/libwerun/index.d.ts, vendored as
 * ./vendor/types.d.ts). configure, setHostImplementation and the decrypt
 * helpers are not here: they stay in ArkTS.
 */
import type {
  AuthorizationState,
  CallbackResult,
  CheckSessionOption,
  GetWeRunDataOption,
  GetWeRunDataSuccess,
  LoginOption,
  LoginSuccess,
  WeRunCalls,
} from './vendor/types';

export type {
  AuthorizationState,
  CallbackResult,
  CheckSessionOption,
  GetWeRunDataOption,
  GetWeRunDataSuccess,
  LoginOption,
  LoginSuccess,
  WeRunCalls,
};

/** What the page gets: the three calls and the scope.werun / session helpers. */
export interface HybridWeRun extends WeRunCalls {
  /** The `scope.werun` state, answered by the ArkTS side at once. */
  getAuthorization(): AuthorizationState;
  /** Sets the `scope.werun` state; throws the module's TypeError for anything but the three states. */
  setAuthorization(state: AuthorizationState): void;
  /** Drops the session; the core zeroizes its key. */
  logout(): void;
}

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

export declare function getWeRunData(option?: GetWeRunDataOption): Promise<GetWeRunDataSuccess>;
export declare function login(option?: LoginOption): Promise<LoginSuccess>;
export declare function checkSession(option?: CheckSessionOption): Promise<CallbackResult>;
export declare function getAuthorization(): AuthorizationState;
export declare function setAuthorization(state: AuthorizationState): void;
export declare function logout(): void;

/** The API over `window.werunBridge`. */
declare const werun: HybridWeRun;
export default werun;
