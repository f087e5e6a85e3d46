/*
 * Compile-only: never run, never emitted (npm run typecheck). It uses every
 * declaration of bindings/harmony/types/libwerun/index.d.ts the way an app
 * would, through both the default export and the named exports, and shows
 * (with @ts-expect-error) that some wrong uses are refused.
 */
import werun, {
  checkSession,
  configure,
  decryptOpenData,
  decryptWeRunData,
  getAuthorization,
  getWeRunData,
  login,
  logout,
  setAuthorization,
  setHostImplementation,
} from 'libwerun.so';
import type {
  AuthorizationState,
  CallbackResult,
  ConfigureOptions,
  GetWeRunDataOption,
  GetWeRunDataSuccess,
  LoginAnswer,
  LoginSuccess,
  OpenData,
  SealedAnswer,
  StepInfo,
  StepSample,
  WeRunData,
  WeRunError,
  WeRunHost,
  WeRunModule,
  WeRunStatusName,
} from 'libwerun.so';
import { installWeRun } from './installWeRun.js';
import type { TaroLike } from './installWeRun.js';

// Records what the calls give, so every result is used.
const shown: string[] = [];
function show(...parts: (string | number | boolean | undefined)[]): void {
  shown.push(parts.join(' '));
}

const options: ConfigureOptions = { appid: 'wx4f4bc4dec97d474b', timeoutMs: 5000, utcOffsetMinutes: 480, maxInFlight: 64 };
werun.configure(options);
configure({ appid: 'wx4f4bc4dec97d474b' });
// @ts-expect-error appid is required
configure({ timeoutMs: 1 });

class StepHost implements WeRunHost {
  samples: StepSample[] = [{ timestamp: 1732406400, step: 8412 }];
  login(): Promise<LoginAnswer> {
    const answer: LoginAnswer = { code: '081code', sessionKey: 'tiihtNczf5v6AKRyjwEUhQ==', expiresIn: 7200 };
    return Promise.resolve(answer);
  }
  authorize(): Promise<boolean> {
    return Promise.resolve(true);
  }
  getSteps(): Promise<StepSample[] | SealedAnswer> {
    return Promise.resolve(this.samples);
  }
}
werun.setHostImplementation(new StepHost());
const relay: WeRunHost = {
  getSteps: (): Promise<StepSample[] | SealedAnswer> => {
    const sealed: SealedAnswer = { encryptedData: 'AAAAAAAAAAAAAAAAAAAAAA==', iv: 'AAAAAAAAAAAAAAAAAAAAAA==', cloudID: 'cloud' };
    return Promise.resolve(sealed);
  },
};
setHostImplementation(relay);
setHostImplementation(null);
// @ts-expect-error a hook resolves a Promise, not a plain value
setHostImplementation({ authorize: (): boolean => true });

async function flows(): Promise<void> {
  const loginOption = {
    success: (res: LoginSuccess): void => show(res.code, res.errMsg),
    fail: (res: CallbackResult): void => show(res.errMsg),
    complete: (res: CallbackResult): void => show(res.errMsg),
  };
  const signedIn: LoginSuccess = await werun.login(loginOption);
  const again: LoginSuccess = await login();
  show(signedIn.code, again.code);

  const session: CallbackResult = await werun.checkSession({ fail: (res: CallbackResult): void => show(res.errMsg) });
  const session2: CallbackResult = await checkSession();
  show(session.errMsg, session2.errMsg);

  const option: GetWeRunDataOption = {
    success: (result: GetWeRunDataSuccess): void => show(result.encryptedData, result.iv, result.cloudID),
    complete: (res: CallbackResult): void => show(res.errMsg),
  };
  const data: GetWeRunDataSuccess = await werun.getWeRunData(option);
  const data2: GetWeRunDataSuccess = await getWeRunData();
  const cloudID: string | undefined = data.cloudID;
  show(cloudID, data2.errMsg);
  // @ts-expect-error success receives the success result, not a number
  getWeRunData({ success: (n: number): void => show(n) });

  const state: AuthorizationState = werun.getAuthorization();
  const state2: AuthorizationState = getAuthorization();
  werun.setAuthorization(state);
  setAuthorization('denied');
  setAuthorization('notDetermined');
  setAuthorization(state2 === 'granted' ? 'granted' : 'notDetermined');
  // @ts-expect-error only the three states
  setAuthorization('yes');

  werun.logout();
  logout();

  try {
    const open: Object = werun.decryptOpenData('key', data.encryptedData, data.iv);
    const typed: OpenData = decryptOpenData('key', data.encryptedData, data.iv, 'wx4f4bc4dec97d474b') as OpenData;
    show(typeof open, typed.watermark?.appid, typed.watermark?.timestamp);
    const weRun: WeRunData = werun.decryptWeRunData('key', data.encryptedData, data.iv, 'wx4f4bc4dec97d474b');
    const days: StepInfo[] = decryptWeRunData('key', data.encryptedData, data.iv, 'wx4f4bc4dec97d474b').stepInfoList;
    show(weRun.watermark.appid, weRun.watermark.timestamp, days.length > 0 ? days[0].step + days[0].timestamp : 0);
    // @ts-expect-error decryptWeRunData needs the appid
    decryptWeRunData('key', data.encryptedData, data.iv);
  } catch (e) {
    const error = e as WeRunError;
    const code: WeRunStatusName = error.code;
    show(code === 'WERUN_ERR_DECRYPT', error.message);
  }
}

// installWeRun: a Taro-shaped object gets werun's three calls, and keeps its type.
interface MyTaro extends TaroLike {
  showToast: (text: string) => void;
}
const taro: MyTaro = {
  getWeRunData: (): Promise<GetWeRunDataSuccess> => Promise.reject({ errMsg: 'getWeRunData:fail 暂时不支持 API getWeRunData' }),
  login: (): Promise<LoginSuccess> => Promise.reject({ errMsg: 'login:fail' }),
  checkSession: (): Promise<CallbackResult> => Promise.reject({ errMsg: 'checkSession:fail' }),
  showToast: (text: string): void => show(text),
};
const installed: MyTaro = installWeRun(taro, werun);
installed.showToast('ok');
const module: WeRunModule = werun;
installWeRun(taro, module);
// @ts-expect-error the werun argument needs the three calls
installWeRun(taro, { login: werun.login });

void flows();
