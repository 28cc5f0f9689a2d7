/**
 * Opening a record for its patient: fetched from its custodian's gateway, checked against the
 * chain (the envelope's commitment must be the version the chain anchored, the decrypted
 * document its plaintext commitment), decrypted in the page, shown in words. Nothing decrypted
 * is kept beyond the returned view.
 */
import type { Chain, RecordEntry, VersionEntry } from './chain.js';
import { type KeyringPair, accountOf } from './crypto/account.js';
import { equalBytes } from './crypto/bytes.js';
import { commitment, openRecord, plaintextCommitment, recordAad, wrapAad } from './crypto/envelope.js';
import type { Identity } from './crypto/keyfile.js';
import { unwrapKey } from './crypto/wrap.js';
import { type View, view } from './fhir.js';
import { fetchRecord } from './gateway.js';
import { PortalError } from './messages.js';

/** A record opened and verified. */
export interface Opened {
  record: number;
  version: number;
  /** The receipt of this read in the patient's log (a gateway's read; none for the patient's own store). */
  receipt: number | null;
  view: View;
}

/**
 * Checks `envelope` against what the chain anchored for `entry` (a version whose ciphertext
 * commitment it is, `version` if given), unwraps the data key, decrypts, checks the plaintext
 * commitment and shows the document: nothing of an envelope that fails a check is shown.
 */
async function verifyAndShow(
  chain: Chain,
  identity: Identity,
  entry: RecordEntry,
  versions: VersionEntry[],
  envelope: Uint8Array,
  wrappedKey: Uint8Array,
  origin: Uint8Array,
  version?: number,
): Promise<{ version: number; view: View }> {
  const hash = commitment(envelope);
  const anchored = versions.find((v) => (version === undefined || v.version === version) && equalBytes(hash, v.ciphertextHash));
  if (!anchored) {
    throw new PortalError('NotAnchored', `record ${entry.id}: the envelope is none of the versions anchored`);
  }
  const first = versions[0];
  if (!first || !equalBytes(origin, first.ciphertextHash)) {
    throw new PortalError('NotAnchored', `record ${entry.id}: the origin is not its first version's commitment`);
  }
  const key = await unwrapKey(wrappedKey, identity.encryptionSecret, wrapAad(chain.genesis, identity.account, origin, identity.account));
  try {
    const plaintext = openRecord(key, envelope, recordAad(chain.genesis, identity.account));
    if (!equalBytes(plaintextCommitment(key, plaintext), anchored.plaintextCommitment)) {
      throw new PortalError('NotAnchored', `record ${entry.id}: the document is not the one committed`);
    }
    let resource: unknown;
    try {
      resource = JSON.parse(new TextDecoder().decode(plaintext));
    } catch {
      throw new PortalError('Unreadable', `record ${entry.id} is not JSON`);
    } finally {
      plaintext.fill(0);
    }
    try {
      return { version: anchored.version, view: view(resource) };
    } catch {
      throw new PortalError('Unreadable', `record ${entry.id} is not a FHIR resource`);
    }
  } finally {
    key.fill(0);
  }
}

/** Fetches, verifies and decrypts the current version of `entry` from its custodian's gateway. */
export async function openForPatient(chain: Chain, identity: Identity, signer: KeyringPair, entry: RecordEntry): Promise<Opened> {
  if (entry.erased) throw new PortalError('Erased', `record ${entry.id} was erased at block ${entry.erased.at}`);
  if (entry.custodian === null) {
    throw new PortalError('SelfReported', `record ${entry.id} is self-reported: its document is in the patient's own store`);
  }
  const organisation = await chain.organisation(entry.custodian);
  if (!organisation?.gateway) throw new PortalError('NoGateway', `organisation ${entry.custodian} publishes no gateway`);
  const released = await fetchRecord(organisation.gateway.url, accountOf(organisation.gateway.account), signer, entry.id);
  const versions = await chain.versionsOf(entry.id);
  const shown = await verifyAndShow(
    chain, identity, entry, versions, released.envelope, released.wrappedKey, released.origin, released.version,
  );
  return { record: entry.id, receipt: released.receipt, ...shown };
}

/**
 * Opens a record the patient reported themself from its envelope, as kept in their own store
 * (the file named by its CID), with the data key the chain holds wrapped for them.
 */
export async function openSelfReported(chain: Chain, identity: Identity, entry: RecordEntry, envelope: Uint8Array): Promise<Opened> {
  if (entry.erased) throw new PortalError('Erased', `record ${entry.id} was erased at block ${entry.erased.at}`);
  const [versions, wrapped] = await Promise.all([chain.versionsOf(entry.id), chain.wrappedKey(entry.id, identity.address)]);
  if (!wrapped) throw new PortalError('NoKey', `the chain holds no key of record ${entry.id} for ${identity.address}`);
  const origin = versions[0]?.ciphertextHash;
  if (!origin) throw new PortalError('NotAnchored', `record ${entry.id} has no versions`);
  const shown = await verifyAndShow(chain, identity, entry, versions, envelope, wrapped, origin);
  return { record: entry.id, receipt: null, ...shown };
}
