/**
 * The chain as the portal asks it: the runtime APIs (records, versions, wrapped keys, grants,
 * offers, the access log) and the directory's organisations and gateways, answered as plain
 * objects; the patient's own calls (grant, revoke, accept, reject), signed in the page; and
 * live updates from the chain's events, by subscription.
 */
import { ApiPromise, WsProvider } from '@polkadot/api';
import { base32Encode } from '@polkadot/util-crypto';
import type { Signer, SubmittableExtrinsic } from '@polkadot/api/types';
import type { Codec } from '@polkadot/types/types';
import type { KeyringPair } from './crypto/account.js';
import { fromHex } from './crypto/bytes.js';
import { PortalError } from './messages.js';

/** Who signs a transaction: a key held in the page, or an account in a browser extension. */
export type Signing = { pair: KeyringPair } | { address: string; signer: Signer };

/** A record as the chain lists it for its patient. */
export interface RecordEntry {
  id: number;
  /** The organisation holding it; `null` for data the patient reported themself. */
  custodian: number | null;
  author: string;
  createdAt: number;
  currentVersion: number;
  updatedAt: number;
  /** How many accounts hold its data key. */
  keyHolders: number;
  /** Its class tag, while it is not erased. */
  classTag: Uint8Array | null;
  erased: { by: string; at: number } | null;
}

/** One version of a record. */
export interface VersionEntry {
  version: number;
  supersedes: number | null;
  ciphertextHash: Uint8Array;
  plaintextCommitment: Uint8Array;
  /** Where its ciphertext is (a CID); `null` once erased. */
  cid: string | null;
  author: string;
  at: number;
}

/** Whom a grant is for. */
export type Grantee = { account: string } | { role: { organisation: number; role: string } };

/** What a grant or an offer permits or denies. */
export interface Provision {
  effect: 'Permit' | 'Deny';
  actions: string[];
  purposes: string[];
  classes: Uint8Array[];
  records: number[];
}

/** A grant with its history. */
export interface GrantEntry {
  id: number;
  grantee: Grantee;
  provision: Provision;
  validFrom: number;
  validUntil: number | null;
  grantedAt: number;
  ended: { at: number; reason: 'Revoked' | 'Expired' } | null;
}

/** An offer waiting for the patient's answer. */
export interface OfferEntry {
  id: number;
  proposer: string;
  grantee: Grantee;
  provision: Provision;
  validFrom: number;
  validUntil: number | null;
  proposedAt: number;
  expiresAt: number;
}

/** One receipt of the access log. */
export interface ReceiptEntry {
  seq: number;
  actor: string;
  at: number;
  /** `Accessed`, `EmergencyOpened`, `ReleasedByGateway` or `RefusedByGateway`. */
  kind: string;
  action: string | null;
  purpose: string | null;
  record: number | null;
  organisation: number | null;
  emergency: number | null;
  /** Why it was permitted or refused (`Granted`, `Subject`, `Emergency`, `Denied`, `NoGrant`…). */
  reason: string | null;
}

/** An emergency access to the patient's data and its review. */
export interface EmergencyEntry {
  id: number;
  practitioner: string;
  organisation: number;
  openedAt: number;
  expiresAt: number;
  reviewDeadline: number;
  review: { at: number; justified: boolean } | null;
}

/** An organisation as the directory names it. */
export interface Organisation {
  id: number;
  name: string;
  /** Its gateway: URL and account, if it published one. */
  gateway: { url: string; account: string } | null;
}

type Json = Record<string, unknown>;

function json(value: Codec): unknown {
  return value.toJSON();
}

function obj(value: unknown): Json {
  return typeof value === 'object' && value !== null ? (value as Json) : {};
}

function num(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

function optNum(value: unknown): number | null {
  return value === null || value === undefined ? null : num(value);
}

/** The one variant of an enum as `toJSON` gives it: `{ variant: fields }` or `"variant"`. */
function variant(value: unknown): [string, Json] {
  if (typeof value === 'string') return [capitalise(value), {}];
  const [name, fields] = Object.entries(obj(value))[0] ?? ['', {}];
  return [capitalise(name), obj(fields)];
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function bytes(value: unknown): Uint8Array {
  return fromHex(String(value));
}

function text(value: unknown): string {
  if (typeof value === 'string' && value.startsWith('0x')) return new TextDecoder().decode(bytes(value));
  return String(value);
}

function grantee(value: unknown): Grantee {
  const [name, fields] = variant(value);
  if (name === 'Account') return { account: String(Object.values(obj(value))[0]) };
  return { role: { organisation: num(fields.organisation), role: variant(fields.role)[0] } };
}

function provision(value: unknown): Provision {
  const p = obj(value);
  return {
    effect: variant(p.effect)[0] as Provision['effect'],
    actions: (p.actions as unknown[]).map((a) => variant(a)[0]),
    purposes: (p.purposes as unknown[]).map((a) => variant(a)[0]),
    classes: (p.classes as unknown[]).map(bytes),
    records: (p.records as unknown[]).map(num),
  };
}

function target(value: unknown): number | null {
  const [name, fields] = variant(value);
  return name === 'Record' ? num(fields.record) : null;
}

/** A connection to a MedChain node. */
export class Chain {
  private constructor(
    readonly api: ApiPromise,
    /** The chain's genesis hash: every envelope and wrapped key is bound to it. */
    readonly genesis: Uint8Array,
  ) {}

  /** Connects to the node at `url` (ws:// or wss://); `NodeUnreachable` after `timeoutMs`. */
  static async connect(url: string, timeoutMs = 15_000): Promise<Chain> {
    // Reconnects by itself when the node goes away later (a restart, a dropped network); the
    // first connection must succeed within `timeoutMs`.
    const provider = new WsProvider(url);
    const connecting = (async () => {
      const api = await ApiPromise.create({ provider, throwOnConnect: true, noInitWarn: true });
      return new Chain(api, api.genesisHash.toU8a());
    })();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new PortalError('NodeUnreachable', `no answer from ${url}`)), timeoutMs);
    });
    try {
      return await Promise.race([connecting, timeout]);
    } catch (error) {
      await provider.disconnect().catch(() => {});
      throw error instanceof PortalError ? error : new PortalError('NodeUnreachable', `${url}: ${String(error)}`);
    } finally {
      clearTimeout(timer);
    }
  }

  async disconnect(): Promise<void> {
    await this.api.disconnect();
  }

  /** The best block's number. */
  async bestNumber(): Promise<number> {
    return (await this.api.rpc.chain.getHeader()).number.toNumber();
  }

  /** Every record of `patient` (erased ones as tombstones), page by page. */
  async recordsOf(patient: string): Promise<RecordEntry[]> {
    const records: RecordEntry[] = [];
    let after: number | null = null;
    for (;;) {
      const page = json(await this.api.call.medicalRecordsApi!.recordsOf!(patient, after, 100)) as unknown[];
      if (page.length === 0) return records;
      for (const raw of page) {
        const r = obj(raw);
        const [state, fields] = variant(r.state);
        records.push({
          id: num(r.record),
          custodian: optNum(r.custodian),
          author: String(r.author),
          createdAt: num(r.createdAt),
          currentVersion: num(r.currentVersion),
          updatedAt: num(r.updatedAt),
          keyHolders: num(r.grantees),
          classTag: state === 'Active' ? bytes(fields.dataClass) : null,
          erased: state === 'Erased' ? { by: String(fields.by), at: num(fields.at) } : null,
        });
      }
      after = records[records.length - 1]!.id;
    }
  }

  /** Every version of `record`, first to current. */
  async versionsOf(record: number): Promise<VersionEntry[]> {
    const versions = json(await this.api.call.medicalRecordsApi!.versionsOf!(record)) as unknown[];
    return versions.map((raw) => {
      const v = obj(raw);
      return {
        version: num(v.version),
        supersedes: optNum(v.supersedes),
        ciphertextHash: bytes(v.ciphertextHash),
        plaintextCommitment: bytes(v.plaintextCommitment),
        // The chain holds the CID's binary form; its text form names the file in a store.
        cid: v.cid === null || v.cid === undefined ? null : base32Encode(bytes(v.cid), true),
        author: String(v.author),
        at: num(v.at ?? v.anchoredAt),
      };
    });
  }

  /** The data key of `record` wrapped for `holder`, if the chain holds one. */
  async wrappedKey(record: number, holder: string): Promise<Uint8Array | null> {
    const key = json(await this.api.call.medicalRecordsApi!.wrappedKey!(record, holder));
    return key === null ? null : bytes(key);
  }

  /** The grants in `patient`'s list, oldest first. */
  async grantsOf(patient: string): Promise<GrantEntry[]> {
    const grants = json(await this.api.call.consentApi!.grantsOf!(patient)) as unknown[];
    return grants.map((raw) => {
      const g = obj(raw);
      const ended = g.ended === null ? null : obj(g.ended);
      return {
        id: num(g.id),
        grantee: grantee(g.grantee),
        provision: provision(g.provision),
        validFrom: num(g.validFrom),
        validUntil: optNum(g.validUntil),
        grantedAt: num(g.grantedAt),
        ended: ended && { at: num(ended.at), reason: variant(ended.reason)[0] as 'Revoked' | 'Expired' },
      };
    });
  }

  /** The offers waiting for `patient`'s answer. */
  async offersOf(patient: string): Promise<OfferEntry[]> {
    const offers = json(await this.api.call.consentApi!.offersOf!(patient)) as unknown[];
    return offers.map((raw) => {
      const o = obj(raw);
      return {
        id: num(o.id),
        proposer: String(o.proposer),
        grantee: grantee(o.grantee),
        provision: provision(o.provision),
        validFrom: num(o.validFrom),
        validUntil: optNum(o.validUntil),
        proposedAt: num(o.proposedAt),
        expiresAt: num(o.expiresAt),
      };
    });
  }

  /** Up to `limit` receipts of `patient`'s access log, newest first, below `before`. */
  async accessLog(patient: string, before: number | null = null, limit = 50): Promise<ReceiptEntry[]> {
    const receipts = json(await this.api.call.consentApi!.accessLog!(patient, before, limit)) as unknown[];
    return receipts.map((raw) => {
      const r = obj(raw);
      const [kind, fields] = variant(r.entry);
      return {
        seq: num(r.seq),
        actor: String(r.actor),
        at: num(r.at),
        kind,
        action: fields.action === undefined ? null : variant(fields.action)[0],
        purpose: fields.purpose === undefined ? null : variant(fields.purpose)[0],
        record: fields.target === undefined ? null : target(fields.target),
        organisation: optNum(fields.organisation),
        emergency: optNum(fields.emergency),
        // An emergency opening's `reason` is the commitment to the physician's justification,
        // not a decision's reason: it means nothing to read.
        reason: fields.reason === undefined || kind === 'EmergencyOpened' ? null : variant(fields.reason)[0],
      };
    });
  }

  /** The emergency accesses to `patient`'s data still in their list, with their reviews. */
  async emergenciesOf(patient: string): Promise<EmergencyEntry[]> {
    const list = json(await this.api.query.consent!.emergencies!(patient));
    return ((list ?? []) as unknown[]).map((raw) => {
      const e = obj(raw);
      const review = e.review === null ? null : obj(e.review);
      return {
        id: num(e.id),
        practitioner: String(e.practitioner),
        organisation: num(e.organisation),
        openedAt: num(e.openedAt),
        expiresAt: num(e.expiresAt),
        reviewDeadline: num(e.reviewDeadline),
        review: review && { at: num(review.at), justified: Boolean(review.justified) },
      };
    });
  }

  /** The organisation `id`: its name and published gateway. */
  async organisation(id: number): Promise<Organisation | null> {
    const [entry, gateway] = await Promise.all([
      this.api.query.directory!.organisations!(id),
      this.api.query.directory!.gateways!(id),
    ]);
    const o = json(entry);
    if (o === null) return null;
    const g = json(gateway);
    return {
      id,
      name: text(obj(o).name),
      gateway: g === null ? null : { url: text(obj(g).endpoint), account: String(obj(g).account) },
    };
  }

  /** The patient grants `grantee` what `provision` says, from `validFrom` (now) until `validUntil`. */
  grant(grantee: Grantee, p: Provision, validUntil: number | null): SubmittableExtrinsic<'promise'> {
    const who = 'account' in grantee ? { Account: grantee.account } : { Role: grantee.role };
    return this.api.tx.consent!.grantConsent!(
      who,
      { effect: p.effect, actions: p.actions, purposes: p.purposes, classes: p.classes, records: p.records },
      null,
      validUntil,
    );
  }

  /** The patient revokes grant `id`. */
  revoke(id: number): SubmittableExtrinsic<'promise'> {
    return this.api.tx.consent!.revokeConsent!(id);
  }

  /** The patient accepts offer `id`, over the data classes `classes` (their tags). */
  accept(id: number, classes: Uint8Array[]): SubmittableExtrinsic<'promise'> {
    return this.api.tx.consent!.acceptOffer!(id, classes);
  }

  /** The patient rejects offer `id`. */
  reject(id: number): SubmittableExtrinsic<'promise'> {
    return this.api.tx.consent!.rejectOffer!(id);
  }

  /**
   * Signs `call` (in the page, or in the extension, which asks the patient) and waits until a
   * block includes it; throws `ChainRefused` with the
   * pallet's error name when the call fails.
   */
  async submit(call: SubmittableExtrinsic<'promise'>, signing: Signing): Promise<void> {
    const [account, options] =
      'pair' in signing ? [signing.pair, { nonce: -1 }] : [signing.address, { nonce: -1, signer: signing.signer }];
    await new Promise<void>((resolve, reject) => {
      let unsubscribe: (() => void) | undefined;
      call
        .signAndSend(account, options, (result) => {
          if (result.dispatchError) {
            let detail = result.dispatchError.toString();
            if (result.dispatchError.isModule) {
              const failure = this.api.registry.findMetaError(result.dispatchError.asModule);
              detail = `${failure.section}.${failure.name}`;
            }
            unsubscribe?.();
            reject(new PortalError('ChainRefused', detail));
          } else if (result.status.isInBlock || result.status.isFinalized) {
            unsubscribe?.();
            resolve();
          } else if (result.isError) {
            unsubscribe?.();
            reject(new PortalError('ChainRefused', result.status.toString()));
          }
        })
        .then((stop) => {
          unsubscribe = stop;
        })
        .catch((error: unknown) => reject(new PortalError('ChainRefused', String(error))));
    });
  }

  /**
   * Calls `onChange` with the sections of `patient`'s view that a new block's events touch
   * (`records`, `grants`, `offers`, `log`), by subscription to the chain's events. Returns the
   * function that stops it.
   */
  async watch(patient: string, onChange: (sections: Set<string>) => void): Promise<() => void> {
    const unsubscribe = await this.api.query.system!.events!((records: Codec) => {
      const sections = new Set<string>();
      for (const record of records as unknown as { event: { section: string; method: string; data: Codec } }[]) {
        const { section, method, data } = record.event;
        if (!JSON.stringify(data.toJSON()).includes(patient)) continue;
        if (section === 'medicalRecords') sections.add('records');
        if (section === 'consent') {
          if (method.startsWith('Offer')) sections.add('offers');
          else if (method.startsWith('Consent') || method.startsWith('Grant')) sections.add('grants');
          sections.add('log');
        }
      }
      if (sections.size > 0) onChange(sections);
    });
    return unsubscribe as unknown as () => void;
  }
}
