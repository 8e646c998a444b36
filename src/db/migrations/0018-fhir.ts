import type { Kysely } from 'kysely';

/**
 * The FHIR API's clients and their access tokens (issue 21, src/modules/fhir). A client is a system registered with
 * `custodian fhir clients create`: a secret (stored as a hash) or a JWK set for SMART Backend Services assertions,
 * its SMART scopes, the role whose permissions it acts with, and for patient scopes the one patient it is bound to.
 * A token is stored as the SHA-256 of its value; it lives minutes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('fhir_clients')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'text')
    .addColumn('jwks', 'text')
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('patient_id', 'text')
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('fhir_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('fhir_tokens_expires').on('fhir_tokens').column('expires_at').execute();
  /** JWT ids of SMART assertions already used (RFC 7523 replay protection), kept until the assertion expires. */
  await db.schema
    .createTable('fhir_assertion_jtis')
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('jti', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('fhir_assertion_jtis_pk', ['client_id', 'jti'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('fhir_assertion_jtis').execute();
  await db.schema.dropTable('fhir_tokens').execute();
  await db.schema.dropTable('fhir_clients').execute();
}
