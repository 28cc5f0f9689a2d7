/**
 * Opening a record for its patient: fetched from its custodian's gateway, checked against the
 * chain (the envelope's commitment must be the version the chain anchored, the decrypted
 * document its plaintext commitment), decrypted in the page, shown in words. Nothing decrypted
 * is kept beyond the returned view.
 */
import type { Chain, RecordEntry } from './chain.js';
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
  /** The receipt of this read in the patient's log. */
  receipt: number;
  view: View;
}

/** Fetches, verifies and decrypts the current version of `entry` for `identity`. */
export async function openForPatient(chain: Chain, identity: Identity, signer: KeyringPair, entry: RecordEntry): Promise<Opened> {
  if (entry.erased) throw new PortalError('Erased', `record ${entry.id} was erased at block ${entry.erased.at}`);
  if (entry.custodian === null) {
    throw new PortalError('NoGateway', `record ${entry.id} is self-reported: its document is in the patient's own store`);
  }
  const organisation = await chain.organisation(entry.custodian);
  if (!organisation?.gateway) throw new PortalError('NoGateway', `organisation ${entry.custodian} publishes no gateway`);
  const released = await fetchRecord(organisation.gateway.url, accountOf(organisation.gateway.account), signer, entry.id);

  // What the chain anchored for this version: the envelope must be it, byte for byte.
  const versions = await chain.versionsOf(entry.id);
  const anchored = versions.find((v) => v.version === released.version);
  if (!anchored || !equalBytes(commitment(released.envelope), anchored.ciphertextHash)) {
    throw new PortalError('NotAnchored', `record ${entry.id} version ${released.version}: the envelope is not the one anchored`);
  }
  const first = versions[0];
  if (!first || (first.version === 1 && !equalBytes(released.origin, first.ciphertextHash))) {
    throw new PortalError('NotAnchored', `record ${entry.id}: the origin is not its first version's commitment`);
  }
  const key = await unwrapKey(
    released.wrappedKey,
    identity.encryptionSecret,
    wrapAad(chain.genesis, identity.account, released.origin, identity.account),
  );
  try {
    const plaintext = openRecord(key, released.envelope, recordAad(chain.genesis, identity.account));
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
    let shown: View;
    try {
      shown = view(resource);
    } catch {
      throw new PortalError('Unreadable', `record ${entry.id} is not a FHIR resource`);
    }
    return { record: entry.id, version: released.version, receipt: released.receipt, view: shown };
  } finally {
    key.fill(0);
  }
}
