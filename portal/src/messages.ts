/**
 * What the portal tells a patient when something fails: words, never a stack trace. Every
 * failure the portal can meet maps to one of these; the technical detail goes to the console
 * only.
 */
import { KindedError } from './crypto/errors.js';

/** A failure the portal knows, besides the crypto ones. */
export type PortalErrorKind =
  /** The chain node does not answer. */
  | 'NodeUnreachable'
  /** The custodian's gateway does not answer. */
  | 'GatewayUnreachable'
  /** The custodian publishes no gateway. */
  | 'NoGateway'
  /** A record the patient reported: its document is in their own store. */
  | 'SelfReported'
  /** Consent refused the read (the gateway or the chain said so). */
  | 'Refused'
  /** The record was erased. */
  | 'Erased'
  /** The chain holds no data key for this account. */
  | 'NoKey'
  /** The document is not what the chain anchored. */
  | 'NotAnchored'
  /** The document is not a FHIR resource the portal can show. */
  | 'Unreadable'
  /** A transaction was refused by the chain. */
  | 'ChainRefused'
  /** Signed in through the extension: opening records needs the key file. */
  | 'KeyFileNeeded'
  /** A key file of another account than the one signed in. */
  | 'OtherAccount'
  /** The extension gave no account, or the patient refused it access. */
  | 'NoExtensionAccount';

/** A failure of the portal itself, with a stable kind and a detail for the console. */
export class PortalError extends KindedError<PortalErrorKind> {
  constructor(kind: PortalErrorKind, detail: string) {
    super('PortalError', kind, detail);
  }
}

const WORDS: Record<string, string> = {
  NodeUnreachable: 'The MedChain network cannot be reached right now. Check your connection and try again.',
  GatewayUnreachable:
    "The hospital's record service cannot be reached right now, so this record cannot be opened. Try again later.",
  NoGateway: 'The organisation holding this record has not published a way to fetch it.',
  SelfReported: 'You reported this record yourself: choose its document from your own store to open it.',
  Refused: 'Access was refused: your consent settings do not allow this.',
  Erased: 'This record was erased. Only the proof that it existed remains.',
  NoKey: 'You do not hold the key to this record.',
  NotAnchored:
    'This document does not match the record on the chain: it may have been altered, so it is not shown.',
  Unreadable: 'This record opened, but it is not in a form the portal can show.',
  ChainRefused: 'The network refused this change.',
  KeyFileNeeded:
    'Your browser extension signs for you, but opening records and naming your data needs your key file: add it first.',
  OtherAccount: 'This key file belongs to another account than the one you signed in with.',
  NoExtensionAccount: 'Your browser extension offered no account. Allow this page in the extension, or sign in with your key file.',
  EnvelopeVersion: 'This document is not a MedChain record, or it is in a newer format than this portal reads.',
  EnvelopeTruncated: 'This document is incomplete, so it is not shown.',
  WrongKey: 'This document was sealed with another key: it is not the record you asked for, so it is not shown.',
  Tampered: 'This document was altered after it was sealed, so it is not shown.',
  WrappedKeyLength: 'The key for this record is damaged.',
  UnwrapFailed: 'Your key does not open this record: it was sealed for someone else or for another record.',
  WrapFailed: "The other person's key is not usable, so the record could not be shared.",
  WrongPassphrase: 'That passphrase does not open this key. Check it and try again.',
  PassphraseTooShort: 'Choose a passphrase of at least 8 characters.',
  Unsupported: 'This key file is of a kind the portal cannot use.',
  Malformed: 'This is not a MedChain key file, or it is damaged.',
};

/** The sentence a patient sees for `error`; the detail is logged, not shown. */
export function explain(error: unknown): string {
  if (error instanceof KindedError) {
    console.warn(`${error.name} ${error.kind}: ${error.message}`);
    return WORDS[error.kind] ?? 'Something went wrong.';
  }
  console.error(error);
  return 'Something went wrong. Try again, and tell your care provider if it keeps happening.';
}
