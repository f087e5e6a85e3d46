/*
 * Compile-only check of the package's public types (tsconfig.json compiles
 * it with src/index.ts): what an app writes type-checks, and some mistakes
 * are refused (@ts-expect-error fails the build if they were accepted).
 */
import werun, {
  checkSession,
  configure,
  decryptWeRunData,
  getAuthorization,
  getWeRunData,
  installWeRun,
  login,
  setAuthorization,
  setHostImplementation,
} from 'react-native-werun';
import type { GetWeRunDataSuccess, StepSample, TaroLike, WeRunData, WeRunError, WeRunHost } from 'react-native-werun';

configure({ appid: 'wx4f4bc4dec97d474b', timeoutMs: 5000 });
// @ts-expect-error: the appid is required
configure({ timeoutMs: 5000 });

const host: WeRunHost = {
  login: async () => ({ code: 'code', sessionKey: 'c2Vzc2lvbi1rZXktMTZieQ==', expiresIn: 7200 }),
  authorize: async () => true,
  getSteps: async (): Promise<StepSample[]> => [{ timestamp: 1_700_000_000, step: 1 }],
};
setHostImplementation(host);
setHostImplementation(null);
// @ts-expect-error: a hook returns a Promise
setHostImplementation({ authorize: () => true });

export async function flow(taro: TaroLike): Promise<number> {
  const { code } = await login({ success: (res) => res.code });
  const res: GetWeRunDataSuccess = await getWeRunData({ fail: (failure) => failure.errMsg });
  await checkSession();
  setAuthorization(getAuthorization() === 'denied' ? 'notDetermined' : 'granted');
  // @ts-expect-error: not a scope.werun state
  setAuthorization('allowed');
  installWeRun(taro);
  try {
    const data: WeRunData = decryptWeRunData('key', res.encryptedData, res.iv, 'wx4f4bc4dec97d474b');
    return data.stepInfoList.length + code.length;
  } catch (error) {
    return (error as WeRunError).code === 'WERUN_ERR_DECRYPT' ? -1 : werun.getAuthorization().length;
  }
}
