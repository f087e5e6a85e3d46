// WeChat's published open-data cipher (AES-128-CBC, PKCS#7; key and iv
// base64-decoded) with crypto-js, nothing of werun's: the JSI platform of the
// conformance suites (bindings/react-native/tests/js/platform.mjs) and
// bench/compare.mjs's pure-JS baseline. Each passes its own crypto-js, and
// the IVs to seal with: a bare JSI runtime has no crypto.getRandomValues,
// which crypto-js's own random IVs need.

/** { encrypt(sessionKey, plaintext, iv?), decrypt(sessionKey, encryptedData, iv) } over `CryptoJS`. */
export function cryptoJsCipher(CryptoJS, randomIv = () => CryptoJS.lib.WordArray.random(16)) {
  const { Base64, Utf8 } = CryptoJS.enc;
  const cbc = { mode: CryptoJS.mode.CBC, padding: CryptoJS.pad.Pkcs7 };
  return {
    encrypt(sessionKey, plaintext, iv = randomIv()) {
      const sealed = CryptoJS.AES.encrypt(Utf8.parse(plaintext), Base64.parse(sessionKey), { iv, ...cbc });
      return { encryptedData: sealed.ciphertext.toString(Base64), iv: iv.toString(Base64) };
    },
    decrypt(sessionKey, encryptedData, iv) {
      const params = CryptoJS.lib.CipherParams.create({ ciphertext: Base64.parse(encryptedData) });
      return CryptoJS.AES.decrypt(params, Base64.parse(sessionKey), { iv: Base64.parse(iv), ...cbc }).toString(Utf8);
    },
  };
}
