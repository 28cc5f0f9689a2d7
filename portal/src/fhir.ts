/**
 * FHIR R5 resources shown as a patient reads them: what was observed or found, its value with
 * its unit, when, and by what status; never the raw JSON. Resource types the portal does not
 * know are still shown by their type, date and narrative text.
 */

/** One line of a record's view. */
export interface Field {
  label: string;
  value: string;
}

/** A record's readable view. */
export interface View {
  /** What kind of record, in words ("Observation"). */
  kind: string;
  /** What it is about ("Heart rate"). */
  title: string;
  /** Its headline value ("72 beats/minute"), where it has one. */
  value?: string;
  fields: Field[];
}

type Json = Record<string, unknown>;

function obj(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** A CodeableConcept in words: its text, else its first coding's display, else its code. */
export function concept(value: unknown): string | undefined {
  const c = obj(value);
  if (!c) return undefined;
  const coding = list(c.coding).map(obj).filter((x): x is Json => x !== undefined);
  return (
    text(c.text) ??
    coding.map((x) => text(x.display)).find(Boolean) ??
    coding.map((x) => text(x.code)).find(Boolean)
  );
}

/** A Quantity in words: "72 beats/minute", "6.1 %". */
export function quantity(value: unknown): string | undefined {
  const q = obj(value);
  if (!q || (typeof q.value !== 'number' && typeof q.value !== 'string')) return undefined;
  const comparator = text(q.comparator) ?? '';
  const unit = text(q.unit) ?? text(q.code);
  return `${comparator}${q.value}${unit ? ` ${unit}` : ''}`;
}

/** A FHIR date or dateTime in the reader's words; the text as it is if it does not parse. */
export function when(value: unknown, locale?: string): string | undefined {
  const raw = text(value);
  if (!raw) return undefined;
  if (/^\d{4}(-\d{2})?$/.test(raw)) return raw;
  const date = new Date(raw);
  if (Number.isNaN(date.getTime())) return raw;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(raw);
  return dateOnly
    ? date.toLocaleDateString(locale, { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' })
    : date.toLocaleString(locale, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }) + ' UTC';
}

function period(value: unknown, locale?: string): string | undefined {
  const p = obj(value);
  if (!p) return undefined;
  const start = when(p.start, locale);
  const end = when(p.end, locale);
  if (start && end) return `${start} to ${end}`;
  return start ? `from ${start}` : end ? `until ${end}` : undefined;
}

/** The value[x] of an Observation or component, in words. */
function observed(resource: Json, locale?: string): string | undefined {
  if (resource.valueQuantity !== undefined) return quantity(resource.valueQuantity);
  if (resource.valueCodeableConcept !== undefined) return concept(resource.valueCodeableConcept);
  if (typeof resource.valueString === 'string') return resource.valueString;
  if (typeof resource.valueBoolean === 'boolean') return resource.valueBoolean ? 'yes' : 'no';
  if (typeof resource.valueInteger === 'number') return String(resource.valueInteger);
  if (resource.valueDateTime !== undefined) return when(resource.valueDateTime, locale);
  if (resource.valuePeriod !== undefined) return period(resource.valuePeriod, locale);
  const range = obj(resource.valueRange);
  if (range) return `${quantity(range.low) ?? '…'} to ${quantity(range.high) ?? '…'}`;
  return undefined;
}

function push(fields: Field[], label: string, value: string | undefined): void {
  if (value !== undefined && value !== '') fields.push({ label, value });
}

/** Splits "MedicationRequest" into "Medication request". */
function kindOf(resourceType: string): string {
  const words = resourceType.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The narrative's text without its markup. */
function narrative(resource: Json): string | undefined {
  const div = text(obj(resource.text)?.div);
  return div
    ?.replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The readable view of a FHIR resource (parsed JSON). Throws if it is not a FHIR resource (no
 * `resourceType`): the portal then says the document could not be read.
 */
export function view(resource: unknown, locale?: string): View {
  const r = obj(resource);
  const type = r && text(r.resourceType);
  if (!r || !type) throw new Error('not a FHIR resource');
  const fields: Field[] = [];
  const kind = kindOf(type);
  let title: string | undefined;
  let value: string | undefined;
  switch (type) {
    case 'Observation': {
      title = concept(r.code);
      value = observed(r, locale);
      push(fields, 'When', when(r.effectiveDateTime, locale) ?? period(r.effectivePeriod, locale) ?? when(r.issued, locale));
      for (const component of list(r.component).map(obj)) {
        if (component) push(fields, concept(component.code) ?? 'Part', observed(component, locale));
      }
      push(fields, 'Interpretation', list(r.interpretation).map(concept).filter(Boolean).join(', '));
      push(fields, 'Status', text(r.status));
      break;
    }
    case 'Condition':
      title = concept(r.code);
      push(fields, 'Since', when(r.onsetDateTime, locale) ?? period(r.onsetPeriod, locale));
      push(fields, 'Clinical status', concept(r.clinicalStatus));
      push(fields, 'Recorded', when(r.recordedDate, locale));
      break;
    case 'AllergyIntolerance':
      title = concept(r.code);
      push(fields, 'Criticality', text(r.criticality));
      push(fields, 'Reactions', list(r.reaction).flatMap((x) => list(obj(x)?.manifestation)).map((m) => concept(obj(m)?.concept) ?? concept(m)).filter(Boolean).join(', '));
      push(fields, 'Clinical status', concept(r.clinicalStatus));
      break;
    case 'MedicationRequest':
    case 'MedicationStatement':
    case 'MedicationDispense': {
      const medication = obj(r.medication);
      title = concept(medication?.concept) ?? concept(r.medicationCodeableConcept);
      push(fields, 'Dosage', list(r.dosageInstruction ?? r.dosage).map((d) => text(obj(d)?.text)).filter(Boolean).join('; '));
      push(fields, 'Written', when(r.authoredOn, locale));
      push(fields, 'Handed over', when(r.whenHandedOver, locale));
      push(fields, 'Status', text(r.status));
      break;
    }
    case 'Procedure':
      title = concept(r.code);
      push(fields, 'When', when(r.occurrenceDateTime ?? r.performedDateTime, locale) ?? period(r.occurrencePeriod, locale));
      push(fields, 'Status', text(r.status));
      break;
    case 'Immunization':
      title = concept(r.vaccineCode);
      push(fields, 'When', when(r.occurrenceDateTime, locale));
      push(fields, 'Status', text(r.status));
      break;
    case 'DiagnosticReport':
      title = concept(r.code);
      value = text(r.conclusion);
      push(fields, 'When', when(r.effectiveDateTime, locale) ?? when(r.issued, locale));
      push(fields, 'Status', text(r.status));
      break;
    case 'Encounter':
      title = list(r.type).map(concept).find(Boolean) ?? concept(list(r.class)[0]);
      push(fields, 'When', period(r.actualPeriod ?? r.period, locale));
      push(fields, 'Status', text(r.status));
      break;
    default:
      push(fields, 'Status', text(r.status));
  }
  push(fields, 'Note', list(r.note).map((n) => text(obj(n)?.text)).filter(Boolean).join(' '));
  if (fields.length === 0 && value === undefined) push(fields, 'Summary', narrative(r));
  const shown: View = { kind, title: title ?? kind, fields };
  if (value !== undefined) shown.value = value;
  return shown;
}
