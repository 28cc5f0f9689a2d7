// The portal's crypto against the vectors the Rust client wrote (client/tests/portal_vectors.rs
// checks the same file with the client): every record, key, tag, key file and request the
// portal handles is byte for byte what the client makes and reads.
import { readFileSync } from 'node:fs';
import { signatureVerify } from '@polkadot/util-crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CryptoError,
  DATA_CLASSES,
  accountOf,
  aliasUri,
  authorization,
  classOf,
  classTag,
  commitment,
  cryptoReady,
  derivedClassKey,
  encryptionPublicKey,
  fromHex,
  isSealed,
  keyChainAad,
  newIdentity,
  openKeyFile,
  openRecord,
  plaintextCommitment,
  recordAad,
  requestMessage,
  sealKeyFile,
  sealWithKey,
  signerFromUri,
  toAddress,
  toHex,
  unchainKey,
  unwrapKey,
  utf8,
  wrapAad,
  wrapKey,
} from '../src/crypto/index.js';

const vectors = JSON.parse(readFileSync(new URL('./vectors.json', import.meta.url), 'utf8'));
const e = vectors.envelope;
const w = vectors.wrap;

/** The error a call throws (sync or async), so its kind can be asserted. */
async function failure(run: () => unknown): Promise<CryptoError> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(CryptoError);
    return error as CryptoError;
  }
  throw new Error('expected the call to fail');
}

function flip(bytes: Uint8Array, at: number): Uint8Array {
  const copy = bytes.slice();
  copy[at] = copy[at]! ^ 0x01;
  return copy;
}

beforeAll(cryptoReady);

describe('envelopes', () => {
  const key = fromHex(e.content_key);
  const envelope = fromHex(e.envelope);
  const aad = recordAad(fromHex(e.genesis), fromHex(e.patient));

  it("opens the client's envelope to its document, with the client's commitments", () => {
    expect(toHex(aad)).toBe(e.aad);
    const plaintext = openRecord(key, envelope, aad);
    expect(new TextDecoder().decode(plaintext)).toBe(e.plaintext);
    expect(toHex(commitment(envelope))).toBe(e.commitment);
    expect(toHex(plaintextCommitment(key, plaintext))).toBe(e.plaintext_commitment);
  });

  it('seals the bytes the client seals, given its nonce', () => {
    const nonce = envelope.subarray(4, 28);
    expect(toHex(sealWithKey(key, utf8(e.plaintext), aad, nonce))).toBe(e.envelope);
    const fresh = sealWithKey(key, utf8(e.plaintext), aad);
    expect(toHex(fresh)).not.toBe(e.envelope);
    expect(new TextDecoder().decode(openRecord(key, fresh, aad))).toBe(e.plaintext);
  });

  it('refuses a tampered envelope, another key, another patient and what is not an envelope', async () => {
    // Every region: the nonce, the ciphertext, the tag.
    for (const at of [4, 60, envelope.length - 1]) {
      expect((await failure(() => openRecord(key, flip(envelope, at), aad))).kind).toBe('Tampered');
    }
    expect((await failure(() => openRecord(key, flip(envelope, 40), aad))).kind).toBe('WrongKey');
    expect((await failure(() => openRecord(flip(key, 0), envelope, aad))).kind).toBe('WrongKey');
    const otherPatient = recordAad(fromHex(e.genesis), flip(fromHex(e.patient), 0));
    expect((await failure(() => openRecord(key, envelope, otherPatient))).kind).toBe('Tampered');
    expect((await failure(() => openRecord(key, utf8('{"resourceType":"Observation"}'), aad))).kind).toBe(
      'EnvelopeVersion',
    );
    expect((await failure(() => openRecord(key, envelope.subarray(0, 70), aad))).kind).toBe('EnvelopeTruncated');
  });
});

describe('wrapped keys', () => {
  const secret = fromHex(w.recipient_secret);
  const aad = wrapAad(fromHex(e.genesis), fromHex(e.patient), fromHex(w.origin), fromHex(w.recipient_account));

  it("unwraps the client's wrapped key in its context, and only there", async () => {
    expect(toHex(encryptionPublicKey(secret))).toBe(w.recipient_public);
    expect(toHex(aad)).toBe(w.aad);
    expect(toHex(await unwrapKey(fromHex(w.wrapped), secret, aad))).toBe(e.content_key);
    const elsewhere = wrapAad(fromHex(e.genesis), fromHex(e.patient), fromHex(w.origin), fromHex(e.patient));
    expect((await failure(() => unwrapKey(fromHex(w.wrapped), secret, elsewhere))).kind).toBe('UnwrapFailed');
    expect((await failure(() => unwrapKey(flip(fromHex(w.wrapped), 50), secret, aad))).kind).toBe('UnwrapFailed');
    expect((await failure(() => unwrapKey(flip(secret, 5), secret, aad))).kind).toBe('WrappedKeyLength');
  });

  it('wraps a key that opens for its recipient and for nobody else', async () => {
    const key = fromHex(e.content_key);
    const wrapped = await wrapKey(key, fromHex(w.recipient_public), aad);
    expect(wrapped.length).toBe(80);
    expect(toHex(await unwrapKey(wrapped, secret, aad))).toBe(e.content_key);
    const other = fromHex(vectors.classes.encryption_secret);
    expect((await failure(() => unwrapKey(wrapped, other, aad))).kind).toBe('UnwrapFailed');
  });

  it("opens the client's key-chain link to the earlier key", async () => {
    const chain = vectors.key_chain;
    const aadChain = keyChainAad(fromHex(e.genesis), fromHex(e.patient), fromHex(w.origin));
    expect(toHex(aadChain)).toBe(chain.aad);
    expect(toHex(unchainKey(fromHex(chain.next_key), fromHex(chain.link), aadChain))).toBe(e.content_key);
    expect((await failure(() => unchainKey(fromHex(e.content_key), fromHex(chain.link), aadChain))).kind).toBe(
      'WrongKey',
    );
  });
});

describe('class tags', () => {
  const c = vectors.classes;

  it("are the client's, and read back only under their key", () => {
    const key = fromHex(c.class_key);
    for (const cls of DATA_CLASSES) {
      expect(toHex(classTag(key, cls))).toBe(c.tags[cls]);
      expect(classOf(key, fromHex(c.tags[cls]))).toBe(cls);
      expect(classOf(flip(key, 0), fromHex(c.tags[cls]))).toBeUndefined();
    }
    expect(toHex(derivedClassKey(fromHex(c.encryption_secret)))).toBe(c.derived_class_key);
  });
});

describe('key files', () => {
  const k = vectors.key_file;

  it("open the client's sealed key file with its passphrase", async () => {
    const identity = await openKeyFile(JSON.stringify(k.file), k.passphrase);
    expect(identity.address).toBe(k.account);
    expect(toHex(identity.account)).toBe(k.public_key);
    expect(identity.secretUri).toBe(k.secret_uri);
    expect(toHex(identity.encryptionPublic)).toBe(k.encryption_public);
    expect(toHex(identity.classKey)).toBe(k.class_key);
    expect(toAddress(signerFromUri(aliasUri(identity.secretUri, k.alias_organisation)).publicKey)).toBe(
      k.alias_account,
    );
  });

  it('refuse a wrong passphrase, a file moved to another account and altered secrets', async () => {
    expect((await failure(() => openKeyFile(k.file, 'not the passphrase'))).kind).toBe('WrongPassphrase');
    expect((await failure(() => openKeyFile(k.file))).kind).toBe('WrongPassphrase');
    const moved = { ...k.file, account: toAddress(fromHex(vectors.wrap.recipient_account)) };
    expect((await failure(() => openKeyFile(moved, k.passphrase))).kind).toBe('WrongPassphrase');
    const altered = { ...k.file, sealed: { ...k.file.sealed, ciphertext: toHex(flip(fromHex(k.file.sealed.ciphertext), 3)) } };
    expect((await failure(() => openKeyFile(altered, k.passphrase))).kind).toBe('WrongPassphrase');
    const costly = { ...k.file, sealed: { ...k.file.sealed, log_n: 30 } };
    expect((await failure(() => openKeyFile(costly, k.passphrase))).kind).toBe('Unsupported');
    expect((await failure(() => openKeyFile('{"name":', k.passphrase))).kind).toBe('Malformed');
    expect((await failure(() => openKeyFile({ name: 'x' }))).kind).toBe('Malformed');
  });

  it('seal an identity made in the browser into a file that opens again, never in the clear', async () => {
    const identity = newIdentity('patient-web');
    expect(identity.secretUri.split(' ')).toHaveLength(24);
    // The lowest accepted cost keeps the test quick; the portal seals with LOG_N.
    const file = await sealKeyFile(identity, 'a long enough passphrase', 14);
    expect(isSealed(file)).toBe(true);
    const text = JSON.stringify(file);
    expect(text).not.toContain(identity.secretUri.split(' ')[0]! + ' ');
    expect(text).not.toContain(toHex(identity.encryptionSecret));
    expect(text).not.toContain(toHex(identity.classKey));
    const opened = await openKeyFile(text, 'a long enough passphrase');
    expect(opened.address).toBe(identity.address);
    expect(toHex(opened.classKey)).toBe(toHex(identity.classKey));
    expect(toHex(opened.encryptionSecret)).toBe(toHex(identity.encryptionSecret));
    expect((await failure(() => sealKeyFile(identity, 'short'))).kind).toBe('PassphraseTooShort');
  });
});

describe('gateway requests', () => {
  const g = vectors.gateway_request;

  it("sign the client's message, and the client's signature verifies", async () => {
    const audience = fromHex(g.audience);
    const message = requestMessage(audience, g.method, g.path_and_query, g.time, utf8(g.body));
    expect(toHex(message)).toBe(g.message);
    const fields = Object.fromEntries(
      (g.authorization as string).replace(/^MedChain /, '').split(',').map((f) => f.split('=') as [string, string]),
    );
    expect(fields.account).toBe(vectors.key_file.account);
    expect(signatureVerify(message, fromHex(fields.signature!), accountOf(fields.account!)).isValid).toBe(true);

    const identity = await openKeyFile(vectors.key_file.file, vectors.key_file.passphrase);
    const header = authorization(signerFromUri(identity.secretUri), audience, g.method, g.path_and_query, g.time, utf8(g.body));
    const signature = header.match(/signature=([0-9a-f]{128})$/)![1]!;
    expect(header.startsWith(`MedChain account=${identity.address},time=${g.time},signature=`)).toBe(true);
    expect(signatureVerify(message, fromHex(signature), identity.account).isValid).toBe(true);
    const otherMessage = requestMessage(audience, 'GET', g.path_and_query, g.time, utf8(g.body));
    expect(signatureVerify(otherMessage, fromHex(signature), identity.account).isValid).toBe(false);
  });
});
