// Records are shown in words: a value with its unit and date, never raw JSON.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { concept, quantity, view, when } from '../src/fhir.js';

const fixture = JSON.parse(
  readFileSync(new URL('../../cli/tests/fixtures/observation.json', import.meta.url), 'utf8'),
);

describe('the readable view of a record', () => {
  it('shows an Observation as its name, value with unit, date and note', () => {
    const shown = view(fixture, 'en-GB');
    expect(shown.kind).toBe('Observation');
    expect(shown.title).toBe('Heart rate');
    expect(shown.value).toBe('72 beats/minute');
    expect(shown.fields).toContainEqual({ label: 'When', value: '20 November 2026 at 09:30 UTC' });
    expect(shown.fields).toContainEqual({ label: 'Status', value: 'final' });
    expect(shown.fields).toContainEqual({ label: 'Note', value: 'Resting after a long-distance swim near Zanzibar' });
    // Words only: no JSON, no codes standing in for what has a name.
    for (const { value } of shown.fields) expect(value).not.toMatch(/[{}]|8867-4|resourceType/);
  });

  it('reads blood pressure components, a coded value and a Condition', () => {
    const bp = view({
      resourceType: 'Observation',
      code: { coding: [{ code: '85354-9', display: 'Blood pressure panel' }] },
      effectiveDateTime: '2026-03-01',
      component: [
        { code: { text: 'Systolic' }, valueQuantity: { value: 128, unit: 'mmHg' } },
        { code: { text: 'Diastolic' }, valueQuantity: { value: 82, unit: 'mmHg' } },
      ],
    }, 'en-GB');
    expect(bp.title).toBe('Blood pressure panel');
    expect(bp.value).toBeUndefined();
    expect(bp.fields).toEqual([
      { label: 'When', value: '1 March 2026' },
      { label: 'Systolic', value: '128 mmHg' },
      { label: 'Diastolic', value: '82 mmHg' },
    ]);
    const coded = view({ resourceType: 'Observation', code: { text: 'Blood group' }, valueCodeableConcept: { coding: [{ code: 'A+' }] } });
    expect(coded.value).toBe('A+');
    const condition = view({ resourceType: 'Condition', code: { text: 'Asthma' }, onsetDateTime: '2019' });
    expect(condition).toEqual({ kind: 'Condition', title: 'Asthma', fields: [{ label: 'Since', value: '2019' }] });
  });

  it('names an unknown resource by its type and narrative, and refuses what is not FHIR', () => {
    const other = view({ resourceType: 'CarePlan', text: { div: '<div xmlns="http://www.w3.org/1999/xhtml"><p>Walk <b>daily</b></p></div>' } });
    expect(other).toEqual({ kind: 'Care plan', title: 'Care plan', fields: [{ label: 'Summary', value: 'Walk daily' }] });
    expect(() => view({ status: 'final' })).toThrow('not a FHIR resource');
    expect(() => view('Observation')).toThrow('not a FHIR resource');
  });

  it('has helpers that fall back sensibly', () => {
    expect(concept({ coding: [{ code: '8867-4' }] })).toBe('8867-4');
    expect(concept(undefined)).toBeUndefined();
    expect(quantity({ value: 5, comparator: '<', code: 'mg' })).toBe('<5 mg');
    expect(quantity({ unit: 'mg' })).toBeUndefined();
    expect(when('not a date')).toBe('not a date');
  });
});
