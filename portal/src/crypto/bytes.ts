/** Byte helpers: hex without a `0x` prefix (as the Rust client writes it), ASCII, concatenation. */
import { bytesToHex, concatBytes, equalBytes, hexToBytes, utf8ToBytes } from '@noble/ciphers/utils.js';
import { CryptoError } from './errors.js';

export { bytesToHex as toHex, concatBytes as concat, equalBytes, utf8ToBytes as utf8 };

/** The bytes of a hex string (an optional `0x` prefix is accepted). */
export function fromHex(text: string, what = 'value'): Uint8Array {
  const digits = text.startsWith('0x') ? text.slice(2) : text;
  try {
    return hexToBytes(digits);
  } catch {
    throw new CryptoError('Malformed', `${what} is not hex`);
  }
}

/** The bytes of a hex string that must be exactly `length` bytes long. */
export function fromHexOf(text: string, length: number, what: string): Uint8Array {
  const bytes = fromHex(text, what);
  if (bytes.length !== length) {
    throw new CryptoError('Malformed', `${what} is not ${length} hex bytes`);
  }
  return bytes;
}

/** Random bytes from the platform's cryptographic generator. */
export function randomBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  globalThis.crypto.getRandomValues(bytes);
  return bytes;
}
