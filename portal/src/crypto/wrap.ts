/**
 * Data keys wrapped for a holder's X25519 key: HPKE (RFC 9180) base mode, DHKEM(X25519,
 * HKDF-SHA256), HKDF-SHA256, ChaCha20-Poly1305, info "medchain/wrap/v2", the wrap context as
 * aad; `enc (32) ‖ ciphertext and tag (48)` = 80 bytes. The Rust client's `wrap_key` /
 * `unwrap_key`, on hpke-js.
 */
import { Chacha20Poly1305 } from '@hpke/chacha20poly1305';
import { CipherSuite, HkdfSha256 } from '@hpke/core';
import { DhkemX25519HkdfSha256 } from '@hpke/dhkem-x25519';
import { x25519 } from '@noble/curves/ed25519.js';
import { concat, utf8 } from './bytes.js';
import { CONTENT_KEY_LEN } from './envelope.js';
import { CryptoError } from './errors.js';

export const WRAPPED_KEY_LEN = 80;
const WRAP_INFO = utf8('medchain/wrap/v2');

const suite = new CipherSuite({
  kem: new DhkemX25519HkdfSha256(),
  kdf: new HkdfSha256(),
  aead: new Chacha20Poly1305(),
});

/** The X25519 public key of a 32-byte secret (clamped as RFC 7748 requires). */
export function encryptionPublicKey(secret: Uint8Array): Uint8Array {
  if (secret.length !== 32) throw new CryptoError('Malformed', 'an X25519 secret is 32 bytes');
  return x25519.getPublicKey(secret);
}

/** Wraps `key` for the holder of `recipientPublic`, bound to the wrap context `aad`. */
export async function wrapKey(key: Uint8Array, recipientPublic: Uint8Array, aad: Uint8Array): Promise<Uint8Array> {
  if (key.length !== CONTENT_KEY_LEN) throw new CryptoError('WrapFailed', 'a content key is 32 bytes');
  try {
    const recipientPublicKey = await suite.kem.deserializePublicKey(recipientPublic);
    const sealed = await suite.seal({ recipientPublicKey, info: WRAP_INFO }, key, aad);
    return concat(new Uint8Array(sealed.enc), new Uint8Array(sealed.ct));
  } catch (error) {
    throw new CryptoError('WrapFailed', `cannot wrap the key for this public key: ${String(error)}`);
  }
}

/**
 * Unwraps a data key with the holder's X25519 secret and the wrap context it was wrapped in.
 * Throws `UnwrapFailed` for a key wrapped for someone else, elsewhere, or altered.
 */
export async function unwrapKey(wrapped: Uint8Array, recipientSecret: Uint8Array, aad: Uint8Array): Promise<Uint8Array> {
  if (wrapped.length !== WRAPPED_KEY_LEN) {
    throw new CryptoError('WrappedKeyLength', `a wrapped key is ${WRAPPED_KEY_LEN} bytes, this one ${wrapped.length}`);
  }
  let key: Uint8Array;
  try {
    const recipientKey = await suite.kem.deserializePrivateKey(recipientSecret);
    key = new Uint8Array(
      await suite.open({ recipientKey, enc: wrapped.subarray(0, 32), info: WRAP_INFO }, wrapped.subarray(32), aad),
    );
  } catch {
    throw new CryptoError('UnwrapFailed', 'the wrapped key does not open with this key pair in this context');
  }
  if (key.length !== CONTENT_KEY_LEN) throw new CryptoError('UnwrapFailed', 'the wrapped key does not hold a data key');
  return key;
}
