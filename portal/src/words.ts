/** The chain's codes in a patient's words. */
import type { Grantee } from './chain.js';

export const PURPOSES: Record<string, string> = {
  Treatment: 'your care',
  EmergencyTreatment: 'emergency care',
  Payment: 'payment and insurance claims',
  Operations: "the organisation's operations (quality, audit)",
  Research: 'research',
  PublicHealth: 'public health',
};

export const ACTIONS: Record<string, string> = { Read: 'read', Write: 'add to', Share: 'share' };

/** An action as done ("read record 3") and as refused ("was refused reading record 3"). */
export const DONE: Record<string, string> = { Read: 'read', Write: 'added to', Share: 'shared' };
export const REFUSED: Record<string, string> = { Read: 'reading', Write: 'adding to', Share: 'sharing' };

export const ROLES: Record<string, string> = {
  Physician: 'physicians',
  EmergencyPhysician: 'emergency physicians',
  Nurse: 'nurses',
  Pharmacist: 'pharmacists',
  LabTechnician: 'laboratory staff',
  Researcher: 'researchers',
  ClaimsOfficer: 'claims officers',
  PrivacyOfficer: 'privacy officers',
};

export const CLASSES: Record<string, string> = {
  general: 'general health',
  'mental-health': 'mental health',
  'sexual-health': 'sexual and reproductive health',
  genetic: 'genetic data',
  'substance-use': 'substance-use treatment',
};

export const REASONS: Record<string, string> = {
  Subject: 'it was you',
  Emergency: 'emergency access',
  Granted: 'your consent',
  Denied: 'you denied it',
  NotActivePractitioner: 'they are not an active practitioner',
  NoGrant: 'you gave no consent for it',
};

/** Seconds per block (the runtime's slot duration). */
export const BLOCK_SECONDS = 6;

/** About when block `block` was (or will be), from the best block `best` seen now. */
export function blockDate(block: number, best: number, now = Date.now()): string {
  const at = new Date(now + (block - best) * BLOCK_SECONDS * 1000);
  return at.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** A short form of an address: its first and last characters. */
export function short(address: string): string {
  return address.length > 16 ? `${address.slice(0, 8)}…${address.slice(-6)}` : address;
}

/** Whom a grant is for, in words. */
export function granteeWords(grantee: Grantee, organisationName: (id: number) => string): string {
  if ('account' in grantee) return short(grantee.account);
  return `${ROLES[grantee.role.role] ?? grantee.role.role} of ${organisationName(grantee.role.organisation)}`;
}

/** A list in words: "a, b and c". */
export function listWords(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
