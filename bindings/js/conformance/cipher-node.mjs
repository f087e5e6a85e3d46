// WeChat's published open-data cipher (AES-128-CBC, PKCS#7; key and iv
// base64-decoded) with node:crypto only, nothing of werun's: the Node
// platform of the conformance suites (bindings/harmony/tests/helpers.mjs) and
// bench/compare.mjs's node:crypto baseline. Node only.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** Seals `plaintext` as WeChat does: { encryptedData, iv }, base64. */
export function encrypt(sessionKey, plaintext, iv = randomBytes(16)) {
  const cipher = createCipheriv('aes-128-cbc', Buffer.from(sessionKey, 'base64'), iv);
  const encrypted = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { encryptedData: encrypted.toString('base64'), iv: iv.toString('base64') };
}

/** Opens what WeChat sealed: the plaintext. Throws on bad padding. */
export function decrypt(sessionKey, encryptedData, iv) {
  const decipher = createDecipheriv('aes-128-cbc', Buffer.from(sessionKey, 'base64'), Buffer.from(iv, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(encryptedData, 'base64')), decipher.final()]).toString('utf8');
}
