"""The wechatpy peer of werun's interop suite (tests/interop/run.sh): WeChat
open data decrypted by wechatpy's mini-program class, and sealed with the
pieces of wechatpy that class is made of, as a Python backend using the
package would."""

import base64
import os

import wechatpy
from wechatpy.crypto import WeChatWxaCrypto
from wechatpy.crypto.base import WeChatCipher
from wechatpy.crypto.pkcs7 import PKCS7Encoder

VERSION = wechatpy.__version__


def decrypt(session_key, iv, encrypted_data, appid):
    """The decrypted object, as WeChatWxaCrypto.decrypt_message returns it
    (it checks watermark.appid)."""
    return WeChatWxaCrypto(session_key, iv, appid).decrypt_message(encrypted_data)


def seal(session_key, plaintext):
    """(encryptedData, iv) for `plaintext` (bytes), under a fresh random iv.

    wechatpy has no open-data encrypt; WeChatWxaCrypto decrypts with
    WeChatCipher (AES-CBC over the cryptography package) and unpads with
    PKCS7Encoder, so this seals with the same two, the other way. Note that
    PKCS7Encoder pads to 32-byte blocks, as WeChat's message
    encryption does, so it adds 1 to 32 bytes where AES-128's PKCS#7 adds 1
    to 16."""
    iv = os.urandom(16)
    cipher = WeChatCipher(base64.b64decode(session_key), iv)
    ciphertext = cipher.encrypt(PKCS7Encoder.encode(plaintext))
    return base64.b64encode(ciphertext).decode(), base64.b64encode(iv).decode()


def padding_of(plaintext):
    """How many bytes of padding seal() adds to `plaintext`."""
    return len(PKCS7Encoder.encode(plaintext)) - len(plaintext)
