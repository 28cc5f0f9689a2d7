/**
 * Accounts: sr25519 key pairs from secret URIs (a BIP-39 phrase with `//hard` junctions and an
 * optional `///password`, as the Rust client's `subxt_signer` reads them) on @polkadot/keyring,
 * and MedChain's SS58 addresses (prefix 4242; the generic 42 is read too).
 */
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { cryptoWaitReady, decodeAddress, encodeAddress, mnemonicGenerate } from '@polkadot/util-crypto';
import { CryptoError } from './errors.js';

export type { KeyringPair };

/** MedChain's SS58 prefix (the runtime's `SS58Prefix`). */
export const SS58_PREFIX = 4242;
const GENERIC_SS58_PREFIX = 42;
/** The hard junction under which a patient's accounts at organisations are derived. */
export const ALIAS_JUNCTION = 'medchain-organisation';

/** Waits for the sr25519 implementation (WebAssembly) to load; call once before signing. */
export async function cryptoReady(): Promise<void> {
  await cryptoWaitReady();
}

/** The sr25519 key pair of a secret URI. */
export function signerFromUri(secretUri: string): KeyringPair {
  try {
    return new Keyring({ type: 'sr25519', ss58Format: SS58_PREFIX }).addFromUri(secretUri);
  } catch (error) {
    throw new CryptoError('Malformed', `the secret phrase does not read: ${String(error)}`);
  }
}

/** A fresh 24-word BIP-39 phrase. */
export function newPhrase(): string {
  return mnemonicGenerate(24);
}

/**
 * The secret URI of the patient's own account at `organisation` (security review H3):
 * `<uri>//medchain-organisation//<id>`, with a `///password` kept at the end.
 */
export function aliasUri(secretUri: string, organisation: number): string {
  const junctions = `//${ALIAS_JUNCTION}//${organisation}`;
  const at = secretUri.indexOf('///');
  return at < 0 ? `${secretUri}${junctions}` : `${secretUri.slice(0, at)}${junctions}${secretUri.slice(at)}`;
}

/** The MedChain address of a 32-byte account. */
export function toAddress(account: Uint8Array): string {
  return encodeAddress(account, SS58_PREFIX);
}

/** The 32 bytes of a MedChain (or generic) address; refuses another network's. */
export function accountOf(address: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = decodeAddress(address);
  } catch {
    throw new CryptoError('Malformed', `\`${address}\` is not an account address`);
  }
  const asMedChain = encodeAddress(bytes, SS58_PREFIX);
  const asGeneric = encodeAddress(bytes, GENERIC_SS58_PREFIX);
  if (address !== asMedChain && address !== asGeneric) {
    throw new CryptoError('Malformed', `\`${address}\` is an address of another network`);
  }
  return bytes;
}
