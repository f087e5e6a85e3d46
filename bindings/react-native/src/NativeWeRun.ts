/*
 * The TurboModule spec of werun's React Native module, for
 * @react-native/codegen (see `codegenConfig` in package.json). The C++
 * module (cpp/WeRunTurboModule.cpp) implements these methods under these
 * names and arities; its tests check that against codegen's schema.
 *
 * The argument types here are loose on purpose: the module checks each
 * argument itself and throws the same TypeErrors as the HarmonyOS module,
 * so a Taro app behaves the same on both platforms. The precise types are
 * in ./index.ts.
 *
 * `Object` is codegen's generic object in every release the package claims
 * (react-native >= 0.77); `CodegenTypes.UnsafeObject`, the same annotation,
 * is exported by react-native only from 0.80 and unknown to 0.77's codegen.
 */
import type { TurboModule } from 'react-native';
import { TurboModuleRegistry } from 'react-native';

export interface Spec extends TurboModule {
  configure(options: Object): void;
  setHostImplementation(host: Object | null): void;
  getWeRunData(option?: Object | null): Promise<Object>;
  login(option?: Object | null): Promise<Object>;
  checkSession(option?: Object | null): Promise<Object>;
  getAuthorization(): string;
  setAuthorization(state: string): void;
  logout(): void;
  decryptOpenData(sessionKey: string, encryptedData: string, iv: string, appid?: string | null): Object;
  decryptWeRunData(sessionKey: string, encryptedData: string, iv: string, appid: string): Object;
}

export default TurboModuleRegistry.getEnforcing<Spec>('WeRun');
