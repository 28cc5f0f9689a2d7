/**
 * The patient's key in this browser: only the sealed key file is stored (localStorage), never a
 * secret in the clear; it is opened with the passphrase into the page's memory for the visit.
 */
import { type Identity, type SealedKeyFile, isSealed, openKeyFile, sealKeyFile } from './crypto/keyfile.js';
import { CryptoError } from './crypto/errors.js';

const STORAGE_KEY = 'medchain.portal.key-file';

/** The sealed key file kept in this browser, if any. */
export function storedKeyFile(storage: Storage = localStorage): SealedKeyFile | null {
  const text = storage.getItem(STORAGE_KEY);
  if (text === null) return null;
  try {
    const file: unknown = JSON.parse(text);
    return isSealed(file) ? file : null;
  } catch {
    return null;
  }
}

/** Forgets the key kept in this browser. */
export function forget(storage: Storage = localStorage): void {
  storage.removeItem(STORAGE_KEY);
}

/**
 * Opens a key file (text) with its passphrase and keeps it sealed in this browser. A plain key
 * file (the public development accounts) is sealed under the passphrase before it is kept.
 */
export async function importKeyFile(text: string, passphrase: string, storage: Storage = localStorage): Promise<Identity> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CryptoError('Malformed', 'the key file is not JSON');
  }
  const identity = await openKeyFile(parsed, passphrase);
  const sealed = isSealed(parsed) ? parsed : await sealKeyFile(identity, passphrase);
  storage.setItem(STORAGE_KEY, JSON.stringify(sealed));
  return identity;
}

/** Keeps a new identity in this browser, sealed under `passphrase`; returns the sealed file (to download as a backup). */
export async function keepNew(identity: Identity, passphrase: string, storage: Storage = localStorage): Promise<SealedKeyFile> {
  const sealed = await sealKeyFile(identity, passphrase);
  storage.setItem(STORAGE_KEY, JSON.stringify(sealed));
  return sealed;
}

/** Opens the key kept in this browser. */
export async function unlock(passphrase: string, storage: Storage = localStorage): Promise<Identity> {
  const file = storedKeyFile(storage);
  if (!file) throw new CryptoError('Malformed', 'no key is kept in this browser');
  return openKeyFile(file, passphrase);
}
