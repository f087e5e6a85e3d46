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
 */
import type { CodegenTypes, TurboModule } from 'react-native';
import { TurboModuleRegistry } from 'react-native';

export interface Spec extends TurboModule {
  configure(options: CodegenTypes.UnsafeObject): void;
  setHostImplementation(host: CodegenTypes.UnsafeObject | null): void;
  getWeRunData(option?: CodegenTypes.UnsafeObject | null): Promise<CodegenTypes.UnsafeObject>;
  login(option?: CodegenTypes.UnsafeObject | null): Promise<CodegenTypes.UnsafeObject>;
  checkSession(option?: CodegenTypes.UnsafeObject | null): Promise<CodegenTypes.UnsafeObject>;
  getAuthorization(): string;
  setAuthorization(state: string): void;
  logout(): void;
  decryptOpenData(sessionKey: string, encryptedData: string, iv: string, appid?: string | null): CodegenTypes.UnsafeObject;
  decryptWeRunData(sessionKey: string, encryptedData: string, iv: string, appid: string): CodegenTypes.UnsafeObject;
}

export default TurboModuleRegistry.getEnforcing<Spec>('WeRun');
