/*
 * Types of libwerun.so, werun's Node-API module: WeChat's getWeRunData,
 * login and checkSession for HarmonyOS (ArkTS, Taro) and Node.js.
 *
 *   import werun from 'libwerun.so';          // ArkTS, as OHOS loads native modules
 *   import { getWeRunData } from 'libwerun.so';
 *
 * This file is valid TypeScript and valid ArkTS: no `any`, no index
 * signatures, no intersections, no declaration merging. Every type a callback
 * receives is declared here by name, so ArkTS's nominal typing accepts it.
 *
 * The callback types mirror Taro's (`@tarojs/taro`):
 *   CallbackResult        = TaroGeneral.CallbackResult
 *   GetWeRunDataOption    = Taro.getWeRunData.Option
 *   GetWeRunDataSuccess   = Taro.getWeRunData.SuccessCallbackResult
 *   LoginOption           = Taro.login.Option (without `timeout`)
 *   LoginSuccess          = Taro.login.SuccessCallbackResult
 *   CheckSessionOption    = Taro.checkSession.Option
 *
 * Callbacks follow WeChat's order: success(res), complete(res), then the
 * promise resolves with res; or fail(res), complete(res), then the promise
 * rejects with that same `{errMsg}` object (not an Error), even when a fail
 * callback was given. Results reach JS only on the JS thread.
 */

// ---- Results and options (Taro's shapes) -----------------------------------

/** What every call delivers: Taro's `TaroGeneral.CallbackResult`. */
export interface CallbackResult {
  /** `<api>:ok`, or `<api>:fail <reason>`, such as `getWeRunData:fail auth deny`. */
  errMsg: string;
}

/** What getWeRunData's success delivers: Taro's `getWeRunData.SuccessCallbackResult`. */
export interface GetWeRunDataSuccess extends CallbackResult {
  /**
   * Base64 AES-128-CBC ciphertext of `{"stepInfoList":[...],"watermark":{...}}`
   * under the session key; decrypt it on the backend as WeChat's open data.
   */
  encryptedData: string;
  /** Base64 16-byte IV of `encryptedData`. */
  iv: string;
  /** The cloud ID, when the host relayed one with already-sealed data. */
  cloudID?: string;
  /** `getWeRunData:ok`. */
  errMsg: string;
}

/** What login's success delivers: Taro's `login.SuccessCallbackResult`. */
export interface LoginSuccess extends CallbackResult {
  /** `login:ok`. */
  errMsg: string;
  /** The login code from the host's `login` hook, for the backend's code2Session. */
  code: string;
}

/** Options of getWeRunData: Taro's `getWeRunData.Option`. */
export interface GetWeRunDataOption {
  /** Runs on success, before complete. */
  success?: (result: GetWeRunDataSuccess) => void;
  /** Runs on failure, before complete. */
  fail?: (res: CallbackResult) => void;
  /** Runs after success or fail, with the same result. */
  complete?: (res: CallbackResult) => void;
}

/** Options of login: Taro's `login.Option`. */
export interface LoginOption {
  /** Runs on success, before complete. */
  success?: (result: LoginSuccess) => void;
  /** Runs on failure, before complete. */
  fail?: (res: CallbackResult) => void;
  /** Runs after success or fail, with the same result. */
  complete?: (res: CallbackResult) => void;
}

/** Options of checkSession: Taro's `checkSession.Option`. */
export interface CheckSessionOption {
  /** Runs while a session exists and has not expired, before complete. */
  success?: (res: CallbackResult) => void;
  /** Runs with `checkSession:fail session expired`, before complete. */
  fail?: (res: CallbackResult) => void;
  /** Runs after success or fail, with the same result. */
  complete?: (res: CallbackResult) => void;
}

// ---- Configuration -------------------------------------------------------------

/** Settings of configure. Each optional one keeps its current value when left out. */
export interface ConfigureOptions {
  /**
   * The mini program's appid (non-empty, at most 256 bytes), written into
   * every watermark. Required; it cannot change once set.
   */
  appid: string;
  /** How long a host hook may take to answer, in ms (an integer, at least 1; default 10000). */
  timeoutMs?: number;
  /** UTC offset of the step days' midnight, in minutes (an integer, -720..840; default 480, WeChat's UTC+8). */
  utcOffsetMinutes?: number;
  /** The most calls that may wait on the host at once (an integer, at least 1; default 1024). */
  maxInFlight?: number;
}

/** The `scope.werun` authorization state. */
export type AuthorizationState = 'granted' | 'denied' | 'notDetermined';

// ---- The host implementation -------------------------------------------------------

/** What the host's login hook resolves. */
export interface LoginAnswer {
  /** The login code (non-empty). */
  code: string;
  /**
   * Base64 session key (16 bytes decoded) shared with the backend. Without
   * one, getWeRunData can only relay already-sealed data.
   */
  sessionKey?: string;
  /** Session lifetime in seconds; 0 or absent: no expiry. */
  expiresIn?: number;
}

/** A raw step sample: unix seconds at any instant of a day, and its steps. */
export interface StepSample {
  /** Unix seconds (an integer), at any instant of the day. */
  timestamp: number;
  /** Steps (a non-negative integer); samples of one day are summed. */
  step: number;
}

/** A getSteps answer sealed elsewhere (for example relayed from WeChat), passed through. */
export interface SealedAnswer {
  /** Standard base64; a positive multiple of 16 bytes decoded. */
  encryptedData: string;
  /** Standard base64 of a 16-byte IV. */
  iv: string;
  /** Passed to success as `cloudID`. */
  cloudID?: string;
}

/**
 * The app's step source, written in ArkTS or JS. Each hook is called on the
 * JS thread with `this` set to the host object, and returns a Promise. A
 * rejection or a throw fails the waiting calls with `<api>:fail <message>`;
 * an answer of the wrong shape fails them with a message naming the field.
 * A hook left out makes its API unsupported (login, getSteps) or, for
 * authorize, counts `scope.werun` as granted.
 */
export interface WeRunHost {
  /** Logs in: resolves the code and, usually, the session key. Called on every login. */
  login?: () => Promise<LoginAnswer>;
  /** Asks the user for `scope.werun`: resolves true when granted. Called while notDetermined. */
  authorize?: () => Promise<boolean>;
  /** Reads the steps: raw samples, which werun sums per day and seals, or a sealed payload. */
  getSteps?: () => Promise<StepSample[] | SealedAnswer>;
}

// ---- Decryption ----------------------------------------------------------------

/** The status names of werun's C ABI, carried by a WeRunError as `code`. */
export type WeRunStatusName =
  | 'WERUN_OK'
  | 'WERUN_ERR_NULL_ARGUMENT'
  | 'WERUN_ERR_INVALID_ARGUMENT'
  | 'WERUN_ERR_UNSUPPORTED'
  | 'WERUN_ERR_NOT_LOGGED_IN'
  | 'WERUN_ERR_AUTH_DENIED'
  | 'WERUN_ERR_TIMEOUT'
  | 'WERUN_ERR_CANCELLED'
  | 'WERUN_ERR_HOST'
  | 'WERUN_ERR_INVALID_DATA'
  | 'WERUN_ERR_DECRYPT'
  | 'WERUN_ERR_WATERMARK'
  | 'WERUN_ERR_STALE_REQUEST'
  | 'WERUN_ERR_BUSY'
  | 'WERUN_ERR_PANIC';

/**
 * What the decrypt helpers (and configure, for a value the core refuses)
 * throw: an Error whose `message` is the core's
 * sentence and whose `code` is the status name. A type for catch clauses
 * (`(e as WeRunError).code`); the module exports no such class.
 */
export interface WeRunError extends Error {
  /** Such as 'WERUN_ERR_INVALID_ARGUMENT' (bad base64 or sizes), 'WERUN_ERR_DECRYPT' or 'WERUN_ERR_WATERMARK'. */
  code: WeRunStatusName;
}

/** The watermark WeChat puts in every open-data payload. */
export interface OpenDataWatermark {
  /** Unix seconds when the payload was sealed. */
  timestamp: number;
  /** The mini program's appid. */
  appid: string;
}

/**
 * The part of a decrypted open-data payload every WeChat payload has. Cast
 * decryptOpenData's result to it, or to your own interface with the other
 * fields (such as phoneNumber).
 */
export interface OpenData {
  watermark?: OpenDataWatermark;
}

/** One day of a decrypted WeRun payload. */
export interface StepInfo {
  /** Unix seconds of the day's midnight (at the configured UTC offset). */
  timestamp: number;
  /** The day's steps. */
  step: number;
}

/** A decrypted WeRun payload. */
export interface WeRunData {
  /** The days, as sealed (werun seals 31, oldest first). */
  stepInfoList: StepInfo[];
  /** When it was sealed, and for which appid (checked against the one given). */
  watermark: OpenDataWatermark;
}

// ---- The module ------------------------------------------------------------------

/** The three WeChat-style calls that installWeRun puts on a Taro object. */
export interface WeRunCalls {
  /**
   * The user's step counts for the last 31 days, sealed for the backend.
   * Fails with `getWeRunData:fail need login` without a live session and
   * `getWeRunData:fail auth deny` once `scope.werun` was refused.
   * Throws a TypeError before configure or with a malformed option.
   */
  getWeRunData(option?: GetWeRunDataOption): Promise<GetWeRunDataSuccess>;
  /**
   * Logs in through the host's login hook; on success the session replaces
   * any older one and `code` goes to the backend. The session key never
   * reaches JS. Throws a TypeError before configure or with a malformed option.
   */
  login(option?: LoginOption): Promise<LoginSuccess>;
  /**
   * `checkSession:ok` while a session exists and has not expired, else fails
   * with `checkSession:fail session expired`. Throws a TypeError before
   * configure or with a malformed option.
   */
  checkSession(option?: CheckSessionOption): Promise<CallbackResult>;
}

/** The whole module, as `import werun from 'libwerun.so'` gives it. */
export interface WeRunModule extends WeRunCalls {
  /**
   * Sets the appid and the settings given. May be called again: a later
   * call changes only the settings it names and keeps the session and the
   * host. Throws a TypeError for a missing appid or a wrong type, and a
   * WeRunError with code 'WERUN_ERR_INVALID_ARGUMENT' for a value the core
   * refuses (an empty or over-long appid, timeoutMs 0, an offset out of
   * range; the message names each one) or an appid other than the one
   * first set. A call that throws changes no setting, not even the valid
   * ones it named; a first call that throws leaves werun unconfigured.
   */
  configure(options: ConfigureOptions): void;
  /**
   * Installs the app's step source, replacing any previous one; null clears
   * it. Requests already sent stay answerable. Throws a TypeError before
   * configure or for a hook that is not a function.
   */
  setHostImplementation(host: WeRunHost | null): void;
  /** The `scope.werun` state. Throws a TypeError before configure. */
  getAuthorization(): AuthorizationState;
  /**
   * Sets the `scope.werun` state, for example after openSetting or to
   * restore a persisted one. Throws a TypeError before configure or for
   * another string.
   */
  setAuthorization(state: AuthorizationState): void;
  /** Drops the session and zeroizes its key. Throws a TypeError before configure. */
  logout(): void;
  /**
   * Decrypts WeChat open data (AES-128-CBC, PKCS#7, all base64) and returns
   * the parsed JSON. With `appid`, `watermark.appid` must equal it. Needs no
   * configure. The base64 may be wrapped across lines, indented or end in a
   * newline, as WeChat's samples accept it. Throws a WeRunError ('WERUN_ERR_INVALID_ARGUMENT',
   * 'WERUN_ERR_DECRYPT', 'WERUN_ERR_WATERMARK'), or a TypeError for an
   * argument that is not a string.
   */
  decryptOpenData(sessionKey: string, encryptedData: string, iv: string, appid?: string): Object;
  /**
   * Decrypts a WeRun payload, checks `watermark.appid` against `appid`, and
   * returns its days and watermark. Needs no configure. Throws a WeRunError
   * (as decryptOpenData, plus 'WERUN_ERR_INVALID_DATA' for a malformed
   * stepInfoList), or a TypeError for an argument that is not a string.
   */
  decryptWeRunData(sessionKey: string, encryptedData: string, iv: string, appid: string): WeRunData;
}

/** Sets the appid and settings; see WeRunModule.configure. Throws a TypeError or a WeRunError. */
export declare function configure(options: ConfigureOptions): void;
/** Installs (or, with null, clears) the JS host; see WeRunModule.setHostImplementation. */
export declare function setHostImplementation(host: WeRunHost | null): void;
/** The last 31 days of steps, sealed; see WeRunModule.getWeRunData. */
export declare function getWeRunData(option?: GetWeRunDataOption): Promise<GetWeRunDataSuccess>;
/** Logs in through the host; see WeRunModule.login. */
export declare function login(option?: LoginOption): Promise<LoginSuccess>;
/** Whether the session is live; see WeRunModule.checkSession. */
export declare function checkSession(option?: CheckSessionOption): Promise<CallbackResult>;
/** The `scope.werun` state; see WeRunModule.getAuthorization. */
export declare function getAuthorization(): AuthorizationState;
/** Sets the `scope.werun` state; see WeRunModule.setAuthorization. */
export declare function setAuthorization(state: AuthorizationState): void;
/** Drops the session; see WeRunModule.logout. */
export declare function logout(): void;
/** Decrypts open data; see WeRunModule.decryptOpenData. Throws a WeRunError. */
export declare function decryptOpenData(sessionKey: string, encryptedData: string, iv: string, appid?: string): Object;
/** Decrypts a WeRun payload; see WeRunModule.decryptWeRunData. Throws a WeRunError. */
export declare function decryptWeRunData(sessionKey: string, encryptedData: string, iv: string, appid: string): WeRunData;

/** The module object: `import werun from 'libwerun.so'`. */
declare const werun: WeRunModule;
export default werun;
