/**
 * Why an operation on a record, a key or a key file failed. `kind` is stable (the portal's
 * screens map it to words a patient understands, see `../messages.ts`); `message` says what
 * exactly is wrong, for a log.
 */
export type CryptoErrorKind =
  /** The bytes are not a MedChain envelope (another magic or version). */
  | 'EnvelopeVersion'
  /** The envelope is shorter than a header and a tag. */
  | 'EnvelopeTruncated'
  /** The key is not the one the envelope was sealed with. */
  | 'WrongKey'
  /** The envelope was altered, or the associated data differs. */
  | 'Tampered'
  /** A wrapped key is not 80 bytes. */
  | 'WrappedKeyLength'
  /** A wrapped key does not open with this key pair in this context. */
  | 'UnwrapFailed'
  /** A key cannot be wrapped for this public key. */
  | 'WrapFailed'
  /** The passphrase does not open the key file (or the file was altered). */
  | 'WrongPassphrase'
  /** The passphrase is shorter than the client accepts for sealing. */
  | 'PassphraseTooShort'
  /** The key file uses a method or cost this portal does not accept. */
  | 'Unsupported'
  /** The key file is not one the client writes. */
  | 'Malformed';

/**
 * A failure with a stable `kind` (what the patient is told, `../messages.ts`) and a `message`
 * that says what exactly is wrong (for the console).
 */
export class KindedError<Kind extends string> extends Error {
  readonly kind: Kind;

  constructor(name: string, kind: Kind, message: string) {
    super(message);
    this.name = name;
    this.kind = kind;
  }
}

/** An error of the portal's crypto, with a stable kind. */
export class CryptoError extends KindedError<CryptoErrorKind> {
  constructor(kind: CryptoErrorKind, message: string) {
    super('CryptoError', kind, message);
  }
}
