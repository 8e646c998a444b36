/**
 * Table types of the FHIR API (src/modules/fhir, migration 0018), part of `Database` (schema.ts). Same conventions:
 * text ids, ISO-8601 UTC text timestamps, booleans as 0/1.
 */

/** A registered API client: a secret (hash) or a JWK set (SMART Backend Services), scopes and the role it acts as. */
export interface FhirClientTable {
  id: string;
  name: string;
  /** SHA-256 of the client secret (256 random bits, so a fast hash suffices); null for a client that signs assertions with its keys. */
  secret_hash: string | null;
  /** JSON JWK set (public keys) for `private_key_jwt` assertions; null for a secret client. */
  jwks: string | null;
  /** Space-separated SMART scopes the client may be granted. */
  scopes: string;
  /** The role whose permissions the client acts with (src/modules/access). */
  role: string;
  /** The one patient `patient/` scopes are bound to. */
  patient_id: string | null;
  disabled: number;
  created_by: string;
  created_at: string;
}

/** An access token (its SHA-256), the scopes granted and when it ends. */
export interface FhirTokenTable {
  token_hash: string;
  client_id: string;
  scopes: string;
  issued_at: string;
  expires_at: string;
}

/** The jti of a client assertion already used, until the assertion expires. */
export interface FhirAssertionJtiTable {
  client_id: string;
  jti: string;
  expires_at: string;
}

export interface FhirTables {
  fhir_clients: FhirClientTable;
  fhir_tokens: FhirTokenTable;
  fhir_assertion_jtis: FhirAssertionJtiTable;
}
