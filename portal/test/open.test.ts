// Opening a record: fetched from its custodian's gateway (here a stub answering as the real one
// does), checked against what the chain anchored, decrypted, shown in words; every way it can
// fail is told by its kind, and nothing unverified is shown.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Chain, RecordEntry, VersionEntry } from '../src/chain.js';
import {
  commitment,
  cryptoReady,
  newIdentity,
  plaintextCommitment,
  randomBytes,
  recordAad,
  sealWithKey,
  signerFromUri,
  toAddress,
  utf8,
  wrapAad,
  wrapKey,
} from '../src/crypto/index.js';
import { ENVELOPE_MEDIA_TYPE, ORIGIN_URL, RECEIPT_TAG, WRAPPED_KEY_URL, fetchRecord } from '../src/gateway.js';
import { PortalError } from '../src/messages.js';
import { openForPatient, openSelfReported } from '../src/open.js';

const GENESIS = new Uint8Array(32).fill(0x11);
const GATEWAY = new Uint8Array(32).fill(0x77);
const document = { resourceType: 'Observation', code: { text: 'Heart rate' }, valueQuantity: { value: 72, unit: 'beats/minute' } };

beforeAll(cryptoReady);
afterEach(() => vi.unstubAllGlobals());

function b64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

async function world(plaintext = utf8(JSON.stringify(document))) {
  const patient = newIdentity('patient');
  const signer = signerFromUri(patient.secretUri);
  const key = randomBytes(32);
  const envelope = sealWithKey(key, plaintext, recordAad(GENESIS, patient.account));
  const origin = commitment(envelope);
  const wrapped = await wrapKey(key, patient.encryptionPublic, wrapAad(GENESIS, patient.account, origin, patient.account));
  const version: VersionEntry = {
    version: 1,
    supersedes: null,
    ciphertextHash: origin,
    plaintextCommitment: plaintextCommitment(key, plaintext),
    cid: 'bafy',
    author: 'doctor',
    at: 5,
  };
  const entry: RecordEntry = {
    id: 3, custodian: 0, author: 'doctor', createdAt: 5, currentVersion: 1, updatedAt: 5, keyHolders: 2,
    classTag: new Uint8Array(32), erased: null,
  };
  const chain = {
    genesis: GENESIS,
    versionsOf: async () => [version],
    wrappedKey: async (_record: number, holder: string) => (holder === patient.address ? wrapped : null),
    organisation: async () => ({ id: 0, name: 'Hospital A', gateway: { url: 'http://gw.test/', account: toAddress(GATEWAY) } }),
  } as unknown as Chain;
  const binary = {
    resourceType: 'Binary',
    id: '3',
    contentType: ENVELOPE_MEDIA_TYPE,
    meta: {
      versionId: '1',
      tag: [{ system: RECEIPT_TAG, code: '9' }],
      extension: [
        { url: WRAPPED_KEY_URL, valueBase64Binary: b64(wrapped) },
        { url: ORIGIN_URL, valueBase64Binary: b64(origin) },
      ],
    },
    data: b64(envelope),
  };
  return { patient, signer, chain, entry, version, binary, envelope };
}

function answer(status: number, body: unknown) {
  const fetch = vi.fn(async () => new Response(JSON.stringify(body), { status }));
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

async function kind(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    return (error as PortalError).kind;
  }
  return 'opened';
}

describe('opening a record', () => {
  it('fetches it with a signed request, verifies it against the chain and shows it in words', async () => {
    const w = await world();
    const fetch = answer(200, w.binary);
    const opened = await openForPatient(w.chain, w.patient, w.signer, w.entry);
    expect(opened).toMatchObject({ record: 3, version: 1, receipt: 9 });
    expect(opened.view).toMatchObject({ title: 'Heart rate', value: '72 beats/minute' });
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('http://gw.test/fhir/Binary/3');
    expect((init.headers as Record<string, string>).Authorization).toMatch(
      new RegExp(`^MedChain account=${w.patient.address},time=\\d+,signature=[0-9a-f]{128}$`),
    );
  });

  it('refuses a document that is not what the chain anchored, before decrypting it', async () => {
    const w = await world();
    const altered = Uint8Array.from(atob(w.binary.data), (c) => c.charCodeAt(0));
    altered[80] = altered[80]! ^ 1;
    answer(200, { ...w.binary, data: b64(altered) });
    expect(await kind(() => openForPatient(w.chain, w.patient, w.signer, w.entry))).toBe('NotAnchored');
    // The same envelope, but the chain committed another plaintext.
    answer(200, w.binary);
    w.version.plaintextCommitment = new Uint8Array(32);
    expect(await kind(() => openForPatient(w.chain, w.patient, w.signer, w.entry))).toBe('NotAnchored');
  });

  it('says what stopped it: consent, a gateway down, an erased record, no gateway, not FHIR', async () => {
    const w = await world();
    answer(403, { resourceType: 'OperationOutcome', issue: [{ diagnostics: 'consent does not permit' }] });
    expect(await kind(() => openForPatient(w.chain, w.patient, w.signer, w.entry))).toBe('Refused');
    vi.stubGlobal('fetch', vi.fn(async () => { throw new TypeError('Failed to fetch'); }));
    expect(await kind(() => openForPatient(w.chain, w.patient, w.signer, w.entry))).toBe('GatewayUnreachable');
    answer(503, { resourceType: 'OperationOutcome' });
    expect(await kind(() => openForPatient(w.chain, w.patient, w.signer, w.entry))).toBe('GatewayUnreachable');
    expect(await kind(() => openForPatient(w.chain, w.patient, w.signer, { ...w.entry, erased: { by: 'x', at: 9 } }))).toBe('Erased');
    expect(await kind(() => openForPatient(w.chain, w.patient, w.signer, { ...w.entry, custodian: null }))).toBe('SelfReported');
    const hidden = { ...w.chain, organisation: async () => ({ id: 0, name: 'Hospital A', gateway: null }) } as unknown as Chain;
    expect(await kind(() => openForPatient(hidden, w.patient, w.signer, w.entry))).toBe('NoGateway');
    const notFhir = await world(utf8('just text'));
    answer(200, notFhir.binary);
    expect(await kind(() => openForPatient(notFhir.chain, notFhir.patient, notFhir.signer, notFhir.entry))).toBe('Unreadable');
    answer(200, { resourceType: 'OperationOutcome' });
    expect(await kind(() => fetchRecord('http://gw.test', GATEWAY, w.signer, 3))).toBe('NotAnchored');
  });
});

describe('opening a record the patient reported', () => {
  it('opens the envelope from their own store with the key the chain holds for them', async () => {
    const w = await world();
    const self = { ...w.entry, custodian: null };
    const opened = await openSelfReported(w.chain, w.patient, self, w.envelope);
    expect(opened).toMatchObject({ record: 3, version: 1, receipt: null });
    expect(opened.view.value).toBe('72 beats/minute');
  });

  it('refuses another file, an altered one, and a record the chain holds no key of for them', async () => {
    const w = await world();
    const self = { ...w.entry, custodian: null };
    const other = await world();
    expect(await kind(() => openSelfReported(w.chain, w.patient, self, other.envelope))).toBe('NotAnchored');
    const altered = w.envelope.slice();
    altered[90] = altered[90]! ^ 1;
    expect(await kind(() => openSelfReported(w.chain, w.patient, self, altered))).toBe('NotAnchored');
    expect(await kind(() => openSelfReported(w.chain, other.patient, self, w.envelope))).toBe('NoKey');
    expect(await kind(() => openSelfReported(w.chain, w.patient, { ...self, erased: { by: 'x', at: 2 } }, w.envelope))).toBe('Erased');
  });
});
