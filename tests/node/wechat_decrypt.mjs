// A backend's decryption, written from WeChat's published open-data algorithm
// (the WXBizDataCrypt sample) with node:crypto and nothing of werun's:
// AES-128-CBC, key = base64(sessionKey), iv = base64(iv), PKCS#7 padding, then
// JSON and a watermark.appid check.
//
// Reads {sessionKey, encryptedData, iv, appid} as JSON on stdin and prints the
// decrypted JSON on stdout; exits 1 with a reason on stderr on any failure.
import { createDecipheriv } from 'node:crypto';
import { text } from 'node:stream/consumers';

function decryptData({ sessionKey, encryptedData, iv, appid }) {
  const key = Buffer.from(sessionKey, 'base64');
  const decipher = createDecipheriv('aes-128-cbc', key, Buffer.from(iv, 'base64'));
  decipher.setAutoPadding(true);
  const plaintext = Buffer.concat([
    decipher.update(Buffer.from(encryptedData, 'base64')),
    decipher.final(),
  ]).toString('utf8');
  const decoded = JSON.parse(plaintext);
  if (decoded.watermark?.appid !== appid) {
    throw new Error(`Illegal Buffer: watermark.appid ${decoded.watermark?.appid} != ${appid}`);
  }
  return decoded;
}

try {
  const input = JSON.parse(await text(process.stdin));
  process.stdout.write(JSON.stringify(decryptData(input)));
} catch (error) {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
