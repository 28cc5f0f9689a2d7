/**
 * Envelopes (`MCE1`), their commitments and the contexts keys are bound to: byte for byte the
 * Rust client's `crypto` module (client/src/crypto.rs documents the formats), on @noble's
 * XChaCha20-Poly1305 and BLAKE2b.
 *
 * ```text
 * envelope = "MCE1" ‖ nonce (24) ‖ BLAKE2b-256("medchain/key-commitment/v1" ‖ K) (32)
 *            ‖ XChaCha20-Poly1305(K, nonce, plaintext, ad = header ‖ aad) (n + 16)
 * ```
 */
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { blake2b } from '@noble/hashes/blake2.js';
import { concat, equalBytes, randomBytes, utf8 } from './bytes.js';
import { CryptoError } from './errors.js';

export const ENVELOPE_MAGIC = utf8('MCE1');
export const NONCE_LEN = 24;
export const KEY_COMMITMENT_LEN = 32;
export const ENVELOPE_HEADER_LEN = ENVELOPE_MAGIC.length + NONCE_LEN + KEY_COMMITMENT_LEN;
export const TAG_LEN = 16;
export const ENVELOPE_OVERHEAD = ENVELOPE_HEADER_LEN + TAG_LEN;
export const CONTENT_KEY_LEN = 32;

const KEY_COMMITMENT_DOMAIN = utf8('medchain/key-commitment/v1');
const CIPHERTEXT_DOMAIN = utf8('medchain/ciphertext/v1');
const PLAINTEXT_DOMAIN = utf8('medchain/plaintext/v1');
const RECORD_AAD_PREFIX = utf8('medchain/record/v2:');
const WRAP_AAD_PREFIX = utf8('medchain/wrap/v2:');
const KEY_CHAIN_AAD_PREFIX = utf8('medchain/key-chain/v2:');

/** BLAKE2b-256 of the concatenated parts: the runtime's `blake2_256`. */
export function blake2_256(...parts: Uint8Array[]): Uint8Array {
  const hash = blake2b.create({ dkLen: 32 });
  for (const part of parts) hash.update(part);
  return hash.digest();
}

function check32(bytes: Uint8Array, what: string): void {
  if (bytes.length !== 32) throw new CryptoError('Malformed', `${what} is not 32 bytes`);
}

/** `"medchain/record/v2:" ‖ genesis hash ‖ patient account`: what an envelope is bound to. */
export function recordAad(genesis: Uint8Array, patient: Uint8Array): Uint8Array {
  check32(genesis, 'the genesis hash');
  check32(patient, 'the patient account');
  return concat(RECORD_AAD_PREFIX, genesis, patient);
}

/**
 * `"medchain/wrap/v2:" ‖ genesis ‖ patient ‖ origin ‖ recipient`: the context a data key is
 * wrapped in (the origin is the ciphertext commitment of the record's first version).
 */
export function wrapAad(
  genesis: Uint8Array,
  patient: Uint8Array,
  origin: Uint8Array,
  recipient: Uint8Array,
): Uint8Array {
  [genesis, patient, origin, recipient].forEach((part, i) =>
    check32(part, ['the genesis hash', 'the patient account', 'the record origin', 'the recipient account'][i]!),
  );
  return concat(WRAP_AAD_PREFIX, genesis, patient, origin, recipient);
}

/** `"medchain/key-chain/v2:" ‖ genesis ‖ patient ‖ origin`: the context of a key-chain link. */
export function keyChainAad(genesis: Uint8Array, patient: Uint8Array, origin: Uint8Array): Uint8Array {
  [genesis, patient, origin].forEach((part, i) =>
    check32(part, ['the genesis hash', 'the patient account', 'the record origin'][i]!),
  );
  return concat(KEY_CHAIN_AAD_PREFIX, genesis, patient, origin);
}

/** The on-chain commitment to an envelope: BLAKE2b-256("medchain/ciphertext/v1" ‖ envelope). */
export function commitment(envelope: Uint8Array): Uint8Array {
  return blake2_256(CIPHERTEXT_DOMAIN, envelope);
}

/** The plaintext commitment: BLAKE2b-256("medchain/plaintext/v1" ‖ content key ‖ plaintext). */
export function plaintextCommitment(key: Uint8Array, plaintext: Uint8Array): Uint8Array {
  return blake2_256(PLAINTEXT_DOMAIN, key, plaintext);
}

function keyCommitment(key: Uint8Array): Uint8Array {
  return blake2_256(KEY_COMMITMENT_DOMAIN, key);
}

function checkKey(key: Uint8Array): void {
  if (key.length !== CONTENT_KEY_LEN) {
    throw new CryptoError('WrongKey', `a content key is ${CONTENT_KEY_LEN} bytes, this one ${key.length}`);
  }
}

/**
 * Seals `plaintext` under `key` bound to `aad`. The nonce is fresh unless given (the tests give
 * one to reproduce the client's bytes).
 */
export function sealWithKey(
  key: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array,
  nonce: Uint8Array = randomBytes(NONCE_LEN),
): Uint8Array {
  checkKey(key);
  if (nonce.length !== NONCE_LEN) throw new CryptoError('Malformed', `a nonce is ${NONCE_LEN} bytes`);
  const header = concat(ENVELOPE_MAGIC, nonce, keyCommitment(key));
  const body = xchacha20poly1305(key, nonce, concat(header, aad)).encrypt(plaintext);
  return concat(header, body);
}

/** Checks an envelope's magic and length without decrypting it. */
export function checkEnvelope(envelope: Uint8Array): void {
  const magic = envelope.subarray(0, ENVELOPE_MAGIC.length);
  if (!equalBytes(magic, ENVELOPE_MAGIC.subarray(0, magic.length))) {
    throw new CryptoError('EnvelopeVersion', 'not a MedChain envelope, or a version this portal does not read');
  }
  if (envelope.length < ENVELOPE_OVERHEAD) {
    throw new CryptoError('EnvelopeTruncated', `the envelope is truncated: ${envelope.length} bytes`);
  }
}

/**
 * Decrypts an envelope with its content key and the associated data it was sealed with.
 * Throws `WrongKey` for another key, `Tampered` for altered bytes or another context.
 */
export function openRecord(key: Uint8Array, envelope: Uint8Array, aad: Uint8Array): Uint8Array {
  checkEnvelope(envelope);
  checkKey(key);
  const header = envelope.subarray(0, ENVELOPE_HEADER_LEN);
  const nonce = header.subarray(ENVELOPE_MAGIC.length, ENVELOPE_MAGIC.length + NONCE_LEN);
  if (!equalBytes(header.subarray(ENVELOPE_MAGIC.length + NONCE_LEN), keyCommitment(key))) {
    throw new CryptoError('WrongKey', 'the key does not match the envelope');
  }
  try {
    return xchacha20poly1305(key, nonce, concat(header, aad)).decrypt(envelope.subarray(ENVELOPE_HEADER_LEN));
  } catch {
    throw new CryptoError('Tampered', 'the envelope failed authentication: it was altered or belongs elsewhere');
  }
}

/** Opens a key-chain link with the newer key: the content key of the versions before it. */
export function unchainKey(next: Uint8Array, link: Uint8Array, aad: Uint8Array): Uint8Array {
  const previous = openRecord(next, link, aad);
  if (previous.length !== CONTENT_KEY_LEN) {
    throw new CryptoError('Tampered', 'the key-chain link does not hold a content key');
  }
  return previous;
}
