/**
 * What the API says of itself: the CapabilityStatement (FHIR R4 CapabilityStatement, kind instance) lists exactly
 * the resource types, interactions and search parameters that are built, and the SMART configuration (SMART App
 * Launch 2.0 "Conformance": /.well-known/smart-configuration) the token endpoint and what it supports.
 */
import { ASSERTION_ALGORITHMS } from './fhir-clients.service.js';
import { FHIR_JSON, FHIR_VERSION } from './fhir.rules.js';
import { includeParams, revincludeParams, searchParams, sortParams } from './fhir.search.js';
import { resourceTypes } from './fhir.service.js';
import type { CapabilityStatement } from './fhir.types.js';

/** The write interactions each type answers (fhir-write.routes.ts). */
const writes: Partial<Record<string, ('create' | 'update')[]>> = { Patient: ['create', 'update'], DocumentReference: ['create'] };

export function capabilityStatement(baseUrl: string, now: string): CapabilityStatement {
  const sorts = Object.entries(sortParams)
    .map(([t, keys]) => `${t} ${keys.join(', ')}`)
    .join('; ');
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: now,
    publisher: 'Custodian',
    kind: 'instance',
    software: { name: 'Custodian' },
    implementation: { description: 'Custodian FHIR R4 API', url: baseUrl },
    fhirVersion: FHIR_VERSION,
    format: [FHIR_JSON, 'json'],
    rest: [
      {
        mode: 'server',
        documentation:
          "Clinical searches (Encounter, Condition, Procedure, DocumentReference) need patient, subject or encounter. versionId is a hash of the content: vread answers the current version, _history lists it (earlier versions are not kept; a document's earlier contents are its Binaries <document>.v<n>). _sort (- for descending): " +
          sorts,
        security: {
          cors: false,
          service: [
            {
              coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' }],
              text: 'OAuth2 client credentials (client secret or SMART Backend Services JWT assertion); web sessions',
            },
          ],
          extension: [
            {
              url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
              extension: [{ url: 'token', valueUri: `${baseUrl}/auth/token` }],
            },
          ],
        },
        resource: [
          ...resourceTypes.map((type) => ({
            type,
            interaction: [
              { code: 'read' as const },
              { code: 'vread' as const },
              { code: 'history-instance' as const },
              { code: 'search-type' as const },
              ...(writes[type] ?? []).map((code) => ({ code })),
            ],
            // Every resource carries meta.versionId (a hash of its content); only the current version is kept.
            versioning: type === 'Patient' ? ('versioned-update' as const) : ('versioned' as const),
            readHistory: false,
            updateCreate: false,
            ...(type === 'Patient' ? { conditionalCreate: true } : {}),
            ...(includeParams[type] ? { searchInclude: Object.keys(includeParams[type]) } : {}),
            ...(revincludeParams[type] ? { searchRevInclude: Object.keys(revincludeParams[type]) } : {}),
            ...(type === 'Patient'
              ? { operation: [{ name: 'everything', definition: 'http://hl7.org/fhir/OperationDefinition/Patient-everything' }] }
              : {}),
            searchParam: (searchParams[type] ?? []).map((p) => ({ name: p.name, type: p.type, documentation: p.documentation })),
          })),
          {
            type: 'Binary',
            documentation:
              'create: new content of the DocumentReference named by securityContext (X-Security-Context), as its next version',
            interaction: [{ code: 'read' as const }, { code: 'create' as const }],
            versioning: 'no-version' as const,
            readHistory: false,
          },
        ],
      },
    ],
  };
}

export function smartConfiguration(baseUrl: string): Record<string, unknown> {
  return {
    token_endpoint: `${baseUrl}/auth/token`,
    grant_types_supported: ['client_credentials'],
    token_endpoint_auth_methods_supported: ['private_key_jwt', 'client_secret_basic', 'client_secret_post'],
    token_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGORITHMS,
    scopes_supported: ['system/*.rs', 'system/*.read', 'patient/*.rs', 'patient/*.read'],
    capabilities: ['client-confidential-asymmetric', 'client-confidential-symmetric', 'permission-v1', 'permission-v2'],
  };
}
