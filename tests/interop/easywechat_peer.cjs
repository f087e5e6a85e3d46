// The node-easywechat peer of werun's interop suite (tests/interop/run.sh):
// WeChat open data decrypted by the package's mini-program API, and sealed by
// its AES helper, as a Node.js backend using the package would.
//
// Reads a JSON array of requests on stdin and writes a JSON array of results,
// one per request, in order:
//   {"op": "decrypt", "sessionKey", "iv", "encryptedData", "appid"}
//     -> {"ok": true, "value": <the decrypted object>} or {"ok": false, "error": "<what the package threw>"}
//   {"op": "seal", "sessionKey", "plaintext"}
//     -> {"ok": true, "encryptedData", "iv"}
//   {"op": "version"} -> {"ok": true, "value": "<node-easywechat's version>"}
'use strict';

const { randomBytes } = require('node:crypto');
const { MiniApp } = require('node-easywechat');
// The package's own AES helper (createCipheriv with auto padding); the
// package seals nothing of WeChat's open data itself, so this is its lowest
// public piece that can.
const { AES } = require('node-easywechat/dist/Core/Support/AES');

// One MiniApp per appid, as a backend would configure it. decryptSession
// takes no appid: the package never checks watermark.appid.
const apps = new Map();
function miniApp(appid) {
  if (!apps.has(appid)) {
    apps.set(appid, new MiniApp({ app_id: appid, secret: 'unused: no request is made' }));
  }
  return apps.get(appid);
}

function handle(request) {
  switch (request.op) {
    case 'decrypt':
      return {
        ok: true,
        value: miniApp(request.appid).getUtils().decryptSession(request.sessionKey, request.iv, request.encryptedData),
      };
    case 'seal': {
      const iv = randomBytes(16);
      const sealed = AES.encrypt(
        Buffer.from(request.plaintext, 'utf8'),
        Buffer.from(request.sessionKey, 'base64'),
        iv,
        true,
        'aes-128-cbc',
      );
      return { ok: true, encryptedData: sealed.toString('base64'), iv: iv.toString('base64') };
    }
    case 'version':
      return { ok: true, value: require('node-easywechat/package.json').version };
    default:
      throw new Error(`unknown op ${request.op}`);
  }
}

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', () => {
  const results = JSON.parse(input).map((request) => {
    try {
      return handle(request);
    } catch (error) {
      return { ok: false, error: `${error.name}: ${error.message}` };
    }
  });
  process.stdout.write(JSON.stringify(results));
});
