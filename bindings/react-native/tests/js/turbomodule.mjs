// What only the React Native binding has: the TurboModule against its
// codegen spec, and answers handled in-process that the Node suite runs in
// a child process.
import { assert } from '../../../js/conformance/assert.mjs';
import { APPID, SESSION_KEY, failure, loginAnswering, reset, stepsHost } from '../../../js/conformance/helpers.mjs';
import schema from '../../build/codegen-schema.json';
import * as pkg from 'react-native-werun';
import NativeWeRun from 'react-native-werun/src/NativeWeRun.ts';

export default function turboModuleSuite({ werun, describe, test, beforeEach }) {
  beforeEach(() => reset(werun));

  describe('the TurboModule', () => {
    test('has exactly the methods and arities of its codegen spec', () => {
      const spec = Object.values(schema.modules).find((module) => module.moduleName === 'WeRun');
      assert.ok(spec, 'codegen found the WeRun spec in src/NativeWeRun.ts');
      const fromSpec = Object.fromEntries(
        spec.spec.methods.map((method) => [method.name, method.typeAnnotation.params.length]),
      );
      // The module's JS object lists its methods on its host-object prototype.
      const hostObject = Object.getPrototypeOf(NativeWeRun);
      const names = Object.getOwnPropertyNames(hostObject).sort();
      assert.deepEqual(names, Object.keys(fromSpec).sort());
      for (const name of names) {
        assert.equal(typeof NativeWeRun[name], 'function', name);
        assert.equal(NativeWeRun[name].length, fromSpec[name], `${name}'s arity`);
      }
    });

    test('the package entry forwards to the same module', async () => {
      assert.equal(werun, NativeWeRun);
      assert.equal(await failure(werun.checkSession()), 'checkSession:fail session expired');
    });

    test("the package's named functions drive the module", async () => {
      pkg.configure({ appid: APPID, timeoutMs: 5000 });
      pkg.setHostImplementation(stepsHost([{ timestamp: Math.floor(Date.now() / 1000), step: 4321 }]));
      assert.equal(await failure(pkg.checkSession()), 'checkSession:fail session expired');
      assert.equal((await pkg.login()).errMsg, 'login:ok');
      assert.equal((await pkg.checkSession()).errMsg, 'checkSession:ok');
      assert.equal(pkg.getAuthorization(), 'notDetermined');
      const sealed = await pkg.getWeRunData();
      assert.equal(pkg.getAuthorization(), 'granted');
      assert.equal(pkg.decryptWeRunData(SESSION_KEY, sealed.encryptedData, sealed.iv, APPID).stepInfoList.at(-1).step, 4321);
      const opened = pkg.decryptOpenData(SESSION_KEY, sealed.encryptedData, sealed.iv);
      assert.equal(opened.watermark.appid, APPID);
      pkg.setAuthorization('denied');
      assert.equal(await failure(pkg.getWeRunData()), 'getWeRunData:fail auth deny');
      pkg.logout();
      assert.equal(await failure(pkg.checkSession()), 'checkSession:fail session expired');
      const taro = {};
      assert.equal(pkg.installWeRun(taro), taro);
      assert.equal((await taro.login()).errMsg, 'login:ok');
    });
  });

  describe('host answers', () => {
    test('getSteps resolving the longest sparse array fails the call without reading 2^32 samples', async () => {
      werun.setHostImplementation({ login: loginAnswering(), getSteps: async () => new Array(2 ** 32 - 1) });
      await werun.login();
      assert.match(await failure(werun.getWeRunData()), /^getWeRunData:fail .*element 0/);
    });
  });
}
