/**
 * The injected polkadot.js extension (or any wallet speaking its protocol), where present: the
 * patient's accounts in it, and its signer, which asks the patient to approve each transaction in
 * the extension's own window. The extension holds sr25519 keys only: it signs, but it cannot open
 * records (their data keys are wrapped for the encryption key in the patient's key file).
 */
import { web3Accounts, web3Enable, web3FromAddress } from '@polkadot/extension-dapp';
import type { Signer } from '@polkadot/api/types';
import { SS58_PREFIX } from './crypto/account.js';

/** An account an extension offers. */
export interface ExtensionAccount {
  address: string;
  name: string;
  /** The extension holding it. */
  source: string;
}

/** Whether an extension injected itself into this page. */
export function extensionPresent(): boolean {
  const injected = (globalThis as { injectedWeb3?: Record<string, unknown> }).injectedWeb3;
  return injected !== undefined && Object.keys(injected).length > 0;
}

/** Asks the extensions for access (each shows its own prompt) and lists their sr25519 accounts. */
export async function extensionAccounts(): Promise<ExtensionAccount[]> {
  const extensions = await web3Enable('MedChain patient portal');
  if (extensions.length === 0) return [];
  const accounts = await web3Accounts({ accountType: ['sr25519'], ss58Format: SS58_PREFIX });
  return accounts.map((a) => ({ address: a.address, name: a.meta.name ?? a.meta.source, source: a.meta.source }));
}

/** The signer of the extension holding `address`. */
export async function extensionSigner(address: string): Promise<Signer> {
  const injector = await web3FromAddress(address);
  return injector.signer;
}
