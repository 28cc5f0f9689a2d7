/**
 * Key files as the Rust client writes them (client/src/identity.rs): a patient who already has
 * one imports it; one created in the browser is kept in the same sealed form. Secrets are sealed
 * under a passphrase with scrypt and XChaCha20-Poly1305, bound to the account
 * (`"medchain/key-file/v1:" ‖ address`); only the public half is in the clear.
 */
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { accountOf, newPhrase, signerFromUri, toAddress } from './account.js';
import { equalBytes, fromHex, fromHexOf, randomBytes, toHex, utf8 } from './bytes.js';
import { derivedClassKey } from './classes.js';
import { CryptoError } from './errors.js';
import { encryptionPublicKey } from './wrap.js';

/** scrypt cost of new sealed files (N = 2^17, r = 8, p = 1), and the range accepted on opening. */
export const LOG_N = 17;
export const MIN_LOG_N = 14;
export const MAX_LOG_N = 20;
/** The shortest passphrase accepted for sealing. */
export const MIN_PASSPHRASE_LEN = 8;

/** An identity: an account that signs, an X25519 key pair that receives keys, a class key. */
export interface Identity {
  name: string;
  /** The account's address. */
  address: string;
  /** The account's 32 bytes. */
  account: Uint8Array;
  secretUri: string;
  encryptionSecret: Uint8Array;
  encryptionPublic: Uint8Array;
  classKey: Uint8Array;
  /** Encryption secrets used before (newest first): keys still wrapped for them open. */
  previousEncryptionSecrets: Uint8Array[];
}

/** The sealed part of a key file. */
export interface Sealed {
  kdf: string;
  log_n: number;
  r: number;
  p: number;
  salt: string;
  cipher: string;
  nonce: string;
  ciphertext: string;
}

/** A sealed key file: the public half and the sealed secrets. */
export interface SealedKeyFile {
  name: string;
  account: string;
  encryption_public: string;
  sealed: Sealed;
}

interface PlainKeyFile {
  name: string;
  account: string;
  secret_uri: string;
  encryption_secret: string;
  encryption_public: string;
  class_key?: string;
  controls?: string;
  previous_encryption_secrets?: string[];
}

function sealingAad(address: string): Uint8Array {
  return utf8(`medchain/key-file/v1:${address}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(file: Record<string, unknown>, field: string): string {
  const value = file[field];
  if (typeof value !== 'string') throw new CryptoError('Malformed', `the key file has no ${field}`);
  return value;
}

/** Whether a parsed key file is sealed. */
export function isSealed(file: unknown): file is SealedKeyFile {
  return isObject(file) && isObject(file.sealed);
}

async function sealingKey(passphrase: string, salt: Uint8Array, logN: number, r: number, p: number): Promise<Uint8Array> {
  // scrypt's working memory is 128·r·(N + p + 1) bytes: allow exactly that (128 MiB at the
  // client's cost; the cost is checked against MAX_LOG_N before this).
  const N = 2 ** logN;
  return scryptAsync(utf8(passphrase), salt, { N, r, p, dkLen: 32, maxmem: 128 * r * (N + p + 1) });
}

function identityOf(plain: PlainKeyFile): Identity {
  if (plain.controls !== undefined) {
    throw new CryptoError('Unsupported', 'this is a recovery kit: use it with the command-line client');
  }
  const pair = signerFromUri(plain.secret_uri);
  if (!equalBytes(accountOf(plain.account), pair.publicKey)) {
    throw new CryptoError('Malformed', 'the account does not match the secret phrase');
  }
  const encryptionSecret = fromHexOf(plain.encryption_secret, 32, 'encryption_secret');
  const encryptionPublic = encryptionPublicKey(encryptionSecret);
  if (toHex(encryptionPublic) !== plain.encryption_public) {
    throw new CryptoError('Malformed', 'encryption_public does not match encryption_secret');
  }
  const classKey =
    plain.class_key === undefined ? derivedClassKey(encryptionSecret) : fromHexOf(plain.class_key, 32, 'class_key');
  return {
    name: plain.name,
    address: toAddress(pair.publicKey),
    account: pair.publicKey,
    secretUri: plain.secret_uri,
    encryptionSecret,
    encryptionPublic,
    classKey,
    previousEncryptionSecrets: (plain.previous_encryption_secrets ?? []).map((text) =>
      fromHexOf(text, 32, 'previous_encryption_secrets'),
    ),
  };
}

function plainOf(value: unknown): PlainKeyFile {
  if (!isObject(value)) throw new CryptoError('Malformed', 'a key file is a JSON object');
  for (const field of ['name', 'account', 'secret_uri', 'encryption_secret', 'encryption_public']) str(value, field);
  return value as unknown as PlainKeyFile;
}

/**
 * The identity in a key file (its JSON text or parsed), checked as the client checks it: the
 * account matches the phrase, each public key its secret. A sealed file needs its passphrase.
 */
export async function openKeyFile(file: string | unknown, passphrase?: string): Promise<Identity> {
  let parsed: unknown = file;
  if (typeof file === 'string') {
    try {
      parsed = JSON.parse(file);
    } catch {
      throw new CryptoError('Malformed', 'the key file is not JSON');
    }
  }
  if (!isSealed(parsed)) return identityOf(plainOf(parsed));
  if (passphrase === undefined) throw new CryptoError('WrongPassphrase', 'the key file is sealed: give its passphrase');
  const { sealed } = parsed;
  if (sealed.kdf !== 'scrypt' || sealed.cipher !== 'xchacha20poly1305') {
    throw new CryptoError('Unsupported', `the key file is sealed with ${sealed.kdf} and ${sealed.cipher}`);
  }
  const costOk =
    Number.isInteger(sealed.log_n) && sealed.log_n >= MIN_LOG_N && sealed.log_n <= MAX_LOG_N &&
    Number.isInteger(sealed.r) && sealed.r >= 1 && sealed.r <= 32 &&
    Number.isInteger(sealed.p) && sealed.p >= 1 && sealed.p <= 4;
  if (!costOk) {
    throw new CryptoError('Unsupported', `scrypt cost log_n ${sealed.log_n} r ${sealed.r} p ${sealed.p} is outside what is accepted`);
  }
  const salt = fromHexOf(sealed.salt, 16, 'salt');
  const nonce = fromHexOf(sealed.nonce, 24, 'nonce');
  const ciphertext = fromHex(sealed.ciphertext, 'ciphertext');
  const key = await sealingKey(passphrase, salt, sealed.log_n, sealed.r, sealed.p);
  let bytes: Uint8Array;
  try {
    bytes = xchacha20poly1305(key, nonce, sealingAad(parsed.account)).decrypt(ciphertext);
  } catch {
    throw new CryptoError('WrongPassphrase', 'the passphrase does not open this key file');
  } finally {
    key.fill(0);
  }
  let plain: PlainKeyFile;
  try {
    plain = plainOf(JSON.parse(new TextDecoder().decode(bytes)));
  } catch (error) {
    throw error instanceof CryptoError ? error : new CryptoError('Malformed', 'the sealed secrets are not a key file');
  } finally {
    bytes.fill(0);
  }
  if (plain.name !== parsed.name || plain.account !== parsed.account || plain.encryption_public !== parsed.encryption_public) {
    throw new CryptoError('Malformed', "the sealed secrets are not those of this file's public half");
  }
  return identityOf(plain);
}

/** Seals an identity under `passphrase` into the key file the client writes. */
export async function sealKeyFile(identity: Identity, passphrase: string, logN = LOG_N): Promise<SealedKeyFile> {
  if ([...passphrase].length < MIN_PASSPHRASE_LEN) {
    throw new CryptoError('PassphraseTooShort', `a passphrase has at least ${MIN_PASSPHRASE_LEN} characters`);
  }
  const plain: PlainKeyFile = {
    name: identity.name,
    account: identity.address,
    secret_uri: identity.secretUri,
    encryption_secret: toHex(identity.encryptionSecret),
    encryption_public: toHex(identity.encryptionPublic),
    class_key: toHex(identity.classKey),
  };
  if (identity.previousEncryptionSecrets.length > 0) {
    plain.previous_encryption_secrets = identity.previousEncryptionSecrets.map(toHex);
  }
  const salt = randomBytes(16);
  const nonce = randomBytes(24);
  const key = await sealingKey(passphrase, salt, logN, 8, 1);
  const secrets = utf8(JSON.stringify(plain));
  const ciphertext = xchacha20poly1305(key, nonce, sealingAad(identity.address)).encrypt(secrets);
  key.fill(0);
  secrets.fill(0);
  return {
    name: identity.name,
    account: identity.address,
    encryption_public: toHex(identity.encryptionPublic),
    sealed: {
      kdf: 'scrypt',
      log_n: logN,
      r: 8,
      p: 1,
      salt: toHex(salt),
      cipher: 'xchacha20poly1305',
      nonce: toHex(nonce),
      ciphertext: toHex(ciphertext),
    },
  };
}

/** A new identity: a fresh 24-word phrase, encryption key and class key. */
export function newIdentity(name: string): Identity {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) {
    throw new CryptoError('Malformed', 'a name is 1 to 64 letters, digits, - or _');
  }
  const secretUri = newPhrase();
  const pair = signerFromUri(secretUri);
  const encryptionSecret = randomBytes(32);
  return {
    name,
    address: toAddress(pair.publicKey),
    account: pair.publicKey,
    secretUri,
    encryptionSecret,
    encryptionPublic: encryptionPublicKey(encryptionSecret),
    classKey: randomBytes(32),
    previousEncryptionSecrets: [],
  };
}
