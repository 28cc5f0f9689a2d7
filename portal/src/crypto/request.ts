/**
 * Requests to an organisation's gateway, signed by the patient's account (the Rust client's
 * `signed_request`): `Authorization: MedChain account=<ss58>,time=<unix s>,signature=<hex>`, the
 * sr25519 signature over the domain tag, the gateway's account, the method, the path and query,
 * the time and the SHA-256 of the body, each followed by a newline.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import type { KeyringPair } from './account.js';
import { toAddress } from './account.js';
import { concat, toHex, utf8 } from './bytes.js';

const DOMAIN = 'medchain/gateway-request/v1';

/** The bytes a request's signature covers. */
export function requestMessage(
  audience: Uint8Array,
  method: string,
  pathAndQuery: string,
  time: number,
  body: Uint8Array,
): Uint8Array {
  const parts = [DOMAIN, toHex(audience), method.toUpperCase(), pathAndQuery, String(time), toHex(sha256(body))];
  return concat(...parts.map((part) => utf8(`${part}\n`)));
}

/** The `Authorization` header with which `signer` sends this request to the gateway `audience`. */
export function authorization(
  signer: KeyringPair,
  audience: Uint8Array,
  method: string,
  pathAndQuery: string,
  time: number,
  body: Uint8Array,
): string {
  const signature = signer.sign(requestMessage(audience, method, pathAndQuery, time, body));
  return `MedChain account=${toAddress(signer.publicKey)},time=${time},signature=${toHex(signature)}`;
}
