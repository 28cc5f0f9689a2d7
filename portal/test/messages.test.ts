// Every failure reads as a sentence a patient understands, never as a stack trace or a code.
import { describe, expect, it, vi } from 'vitest';
import { CryptoError, type CryptoErrorKind } from '../src/crypto/errors.js';
import { PortalError, type PortalErrorKind, explain } from '../src/messages.js';

const cryptoKinds: CryptoErrorKind[] = [
  'EnvelopeVersion', 'EnvelopeTruncated', 'WrongKey', 'Tampered', 'WrappedKeyLength', 'UnwrapFailed',
  'WrapFailed', 'WrongPassphrase', 'PassphraseTooShort', 'Unsupported', 'Malformed',
];
const portalKinds: PortalErrorKind[] = [
  'NodeUnreachable', 'GatewayUnreachable', 'NoGateway', 'SelfReported', 'Refused', 'Erased', 'NoKey', 'NotAnchored',
  'Unreadable', 'ChainRefused', 'KeyFileNeeded', 'OtherAccount', 'NoExtensionAccount',
];

describe('explain', () => {
  vi.spyOn(console, 'warn').mockImplementation(() => {});
  vi.spyOn(console, 'error').mockImplementation(() => {});

  it('has its own sentence for every kind, with none of the technical detail', () => {
    const seen = new Set<string>();
    for (const kind of cryptoKinds) seen.add(explain(new CryptoError(kind, `detail of ${kind} at 0x1234`)));
    for (const kind of portalKinds) seen.add(explain(new PortalError(kind, `detail of ${kind} at 0x1234`)));
    expect(seen.size).toBe(cryptoKinds.length + portalKinds.length);
    for (const sentence of seen) {
      expect(sentence).toMatch(/^[A-Z].*\.$/);
      expect(sentence).not.toMatch(/0x|detail|Error|undefined/);
    }
  });

  it('says something general for what it does not know, and logs the rest', () => {
    const sentence = explain(new TypeError("Cannot read properties of undefined (reading 'x')"));
    expect(sentence).toMatch(/^Something went wrong/);
    expect(sentence).not.toContain('undefined');
    expect(console.error).toHaveBeenCalled();
  });
});
