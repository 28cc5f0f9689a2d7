/**
 * Data classes and class tags (security review H3): on chain a class is only
 * `BLAKE2b-256("medchain/class-tag/v1" ‖ class key ‖ code)` under the patient's class key; the
 * Rust client's `classes` module.
 */
import { equalBytes, utf8 } from './bytes.js';
import { blake2_256 } from './envelope.js';

/** The data classes, by the code the client and the CLI use. */
export const DATA_CLASSES = ['general', 'mental-health', 'sexual-health', 'genetic', 'substance-use'] as const;
export type DataClass = (typeof DATA_CLASSES)[number];

const CLASS_TAG_DOMAIN = utf8('medchain/class-tag/v1');
const CLASS_KEY_DOMAIN = utf8('medchain/class-key/v1');

/** The tag of `cls` under the patient's class key. */
export function classTag(classKey: Uint8Array, cls: DataClass): Uint8Array {
  return blake2_256(CLASS_TAG_DOMAIN, classKey, utf8(cls));
}

/** The class a tag stands for under this key, if any. */
export function classOf(classKey: Uint8Array, tag: Uint8Array): DataClass | undefined {
  return DATA_CLASSES.find((cls) => equalBytes(classTag(classKey, cls), tag));
}

/** The class key of a key file written before class keys existed: derived from its encryption secret. */
export function derivedClassKey(encryptionSecret: Uint8Array): Uint8Array {
  return blake2_256(CLASS_KEY_DOMAIN, encryptionSecret);
}
