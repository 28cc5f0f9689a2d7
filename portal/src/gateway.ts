/**
 * Fetching a record from its custodian's gateway, as the Rust client's `gateway` module does:
 * a signed `GET /fhir/Binary/{record}` (or `…/_history/{version}`) answered with a FHIR Binary
 * holding the envelope and the data key re-wrapped for the requester; the gateway writes the
 * access receipt on chain before it answers.
 */
import { authorization } from './crypto/request.js';
import type { KeyringPair } from './crypto/account.js';
import { PortalError } from './messages.js';

export const WRAPPED_KEY_URL = 'https://medchain.invalid/fhir/StructureDefinition/wrapped-key';
export const ORIGIN_URL = 'https://medchain.invalid/fhir/StructureDefinition/record-origin';
export const RECEIPT_TAG = 'https://medchain.invalid/fhir/CodeSystem/access-receipt';
export const ENVELOPE_MEDIA_TYPE = 'application/vnd.medchain.envelope';

/**
 * How long a read may take: the gateway writes the access receipt on chain, and waits for it to
 * be final, before it answers (about 20 s on a 6 s chain; more when blocks are full).
 */
export const RELEASE_TIMEOUT_MS = 120_000;

/** A record version as a gateway released it. */
export interface Released {
  record: number;
  version: number;
  /** The receipt the gateway wrote in the patient's log. */
  receipt: number;
  envelope: Uint8Array;
  /** The data key wrapped for the requester. */
  wrappedKey: Uint8Array;
  /** The record's origin (its first version's commitment). */
  origin: Uint8Array;
}

function base64(text: unknown, what: string): Uint8Array {
  if (typeof text !== 'string') throw new PortalError('NotAnchored', `the gateway's answer has no ${what}`);
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    throw new PortalError('NotAnchored', `the gateway's ${what} is not base64`);
  }
}

/** Reads a gateway's answer to a read: a Binary of the envelope media type. */
export function parseReleased(body: unknown): Released {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, any>;
  if (b.resourceType !== 'Binary' || b.contentType !== ENVELOPE_MEDIA_TYPE) {
    throw new PortalError('NotAnchored', 'the gateway did not answer with an envelope');
  }
  const extension = (url: string) => (b.meta?.extension ?? []).find((e: any) => e?.url === url)?.valueBase64Binary;
  const receipt = (b.meta?.tag ?? []).find((t: any) => t?.system === RECEIPT_TAG)?.code;
  const record = Number(b.id);
  const version = Number(b.meta?.versionId);
  if (!Number.isSafeInteger(record) || !Number.isSafeInteger(version) || receipt === undefined) {
    throw new PortalError('NotAnchored', 'the gateway answered without the record, version or receipt');
  }
  return {
    record,
    version,
    receipt: Number(receipt),
    envelope: base64(b.data, 'envelope'),
    wrappedKey: base64(extension(WRAPPED_KEY_URL), 'wrapped key'),
    origin: base64(extension(ORIGIN_URL), 'record origin'),
  };
}

/**
 * Asks the gateway at `url` (whose chain account is `audience`) for `record` (its current
 * version, or `version`) for `purpose`, signed by `signer`. Throws `GatewayUnreachable` when it
 * does not answer, `Refused` when consent refuses (the refusal is in the patient's log),
 * `Erased` for an erased record.
 */
export async function fetchRecord(
  url: string,
  audience: Uint8Array,
  signer: KeyringPair,
  record: number,
  options: { version?: number; purpose?: string; timeoutMs?: number; now?: () => number } = {},
): Promise<Released> {
  const base = url.replace(/\/+$/, '');
  const path = `/fhir/Binary/${record}${options.version === undefined ? '' : `/_history/${options.version}`}`;
  const pathAndQuery = options.purpose === undefined ? path : `${path}?purpose=${encodeURIComponent(options.purpose)}`;
  const time = Math.floor((options.now ?? Date.now)() / 1000);
  const header = authorization(signer, audience, 'GET', pathAndQuery, time, new Uint8Array());
  let response: Response;
  try {
    response = await fetch(`${base}${pathAndQuery}`, {
      headers: { Authorization: header, Accept: 'application/fhir+json' },
      signal: AbortSignal.timeout(options.timeoutMs ?? RELEASE_TIMEOUT_MS),
    });
  } catch (error) {
    throw new PortalError('GatewayUnreachable', `${base}: ${String(error)}`);
  }
  const body: unknown = await response.json().catch(() => null);
  if (response.ok) return parseReleased(body);
  const diagnostics = JSON.stringify((body as any)?.issue?.map((i: any) => i?.diagnostics) ?? body);
  if (response.status === 403) throw new PortalError('Refused', diagnostics);
  if (response.status === 410) throw new PortalError('Erased', diagnostics);
  if (response.status >= 500) throw new PortalError('GatewayUnreachable', `${response.status} ${diagnostics}`);
  throw new PortalError('NotAnchored', `${response.status} ${diagnostics}`);
}
