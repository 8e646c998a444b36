import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * The legal health record (src/modules/documents): document types (a controlled list with LOINC codes), documents,
 * their versions (content by SHA-256 in the encrypted blob store), signatures, pages with their text (native or OCR)
 * and the full-text index over it (SQLite FTS5 table `document_pages_fts`; PostgreSQL a generated tsvector column
 * with a GIN index), legal holds and the misfile log. The tables of one patient's rows lead their primary key with
 * patient_id. Numbered 0010 though it landed after 0011 (the migrator allows unordered migrations).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('document_types')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('loinc_code', 'text')
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('requires_cosign', 'integer', (c) => c.notNull())
    .addColumn('default_confidentiality', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await seedDocumentTypes(db);

  await db.schema
    .createTable('documents')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('encounter_id', 'text')
    .addColumn('type_code', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text')
    .addColumn('author_name', 'text')
    .addColumn('service_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_reason', 'text')
    .addColumn('confidentiality', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('source_system', 'text')
    .addColumn('external_id', 'text')
    .addColumn('current_version', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('destroyed_at', 'text')
    .addColumn('destruction_certificate_id', 'text')
    .addPrimaryKeyConstraint('documents_pk', ['patient_id', 'id'])
    .execute();
  // A document is named by its id alone in URLs; an external document number is unique per source system.
  await db.schema.createIndex('documents_id').on('documents').column('id').unique().execute();
  await db.schema.createIndex('documents_external').on('documents').columns(['source_system', 'external_id']).unique().execute();
  await db.schema.createIndex('documents_patient_service').on('documents').columns(['patient_id', 'service_at']).execute();

  await db.schema
    .createTable('document_versions')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('document_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('blob_sha256', 'text')
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('byte_size', 'integer', (c) => c.notNull())
    .addColumn('page_count', 'integer', (c) => c.notNull())
    .addColumn('file_name', 'text')
    .addColumn('text_source', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('document_versions_pk', ['patient_id', 'document_id', 'version'])
    .execute();
  // Whether any version still needs a blob (destruction removes a blob only when none does).
  await db.schema.createIndex('document_versions_blob').on('document_versions').column('blob_sha256').execute();
  await db.schema.createIndex('document_versions_document').on('document_versions').columns(['document_id', 'version']).execute();

  await db.schema
    .createTable('document_signatures')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('document_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('signer_id', 'text', (c) => c.notNull())
    .addColumn('signer_name', 'text', (c) => c.notNull())
    .addColumn('attestation', 'text', (c) => c.notNull())
    .addColumn('signed_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('document_signatures_pk', ['patient_id', 'id'])
    .execute();
  await db.schema.createIndex('document_signatures_document').on('document_signatures').column('document_id').execute();

  let pages = db.schema
    .createTable('document_pages')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('document_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('page', 'integer', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('confidence', 'real')
    .addColumn('words', 'text')
    .addColumn('fts_rowid', 'integer')
    .addPrimaryKeyConstraint('document_pages_pk', ['patient_id', 'document_id', 'version', 'page']);
  if (pg) pages = pages.addColumn('tsv', sql`tsvector`, (c) => c.generatedAlwaysAs(sql`to_tsvector('english', text)`).stored());
  await pages.execute();
  await db.schema.createIndex('document_pages_document').on('document_pages').columns(['document_id', 'version', 'page']).execute();
  if (pg) await sql`create index document_pages_tsv on document_pages using gin (tsv)`.execute(db);
  else {
    // Its own copy of the text (for snippets); `patient` holds the patient id as one token so a patient's search
    // intersects two doclists instead of filtering every hit. document_pages.fts_rowid points at its row.
    await sql`create virtual table document_pages_fts using fts5(text, patient, document_id unindexed, version unindexed, page unindexed, tokenize = 'unicode61 remove_diacritics 2')`.execute(
      db,
    );
  }

  await db.schema
    .createTable('legal_holds')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('encounter_id', 'text')
    .addColumn('document_id', 'text')
    .addColumn('matter', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('placed_by', 'text', (c) => c.notNull())
    .addColumn('placed_at', 'text', (c) => c.notNull())
    .addColumn('released_by', 'text')
    .addColumn('released_at', 'text')
    .addColumn('release_reason', 'text')
    .addPrimaryKeyConstraint('legal_holds_pk', ['patient_id', 'id'])
    .execute();
  await db.schema.createIndex('legal_holds_id').on('legal_holds').column('id').unique().execute();

  await db.schema
    .createTable('document_moves')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('document_id', 'text', (c) => c.notNull())
    .addColumn('from_patient_id', 'text', (c) => c.notNull())
    .addColumn('from_encounter_id', 'text')
    .addColumn('to_patient_id', 'text', (c) => c.notNull())
    .addColumn('to_encounter_id', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('moved_by', 'text', (c) => c.notNull())
    .addColumn('moved_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('document_moves_pk', ['patient_id', 'id'])
    .execute();
  await db.schema.createIndex('document_moves_at').on('document_moves').column('moved_at').execute();
}

/** The seeded document types: LOINC document ontology codes where one fits (LOINC Document Ontology, 2.7x). */
export const SEED_DOCUMENT_TYPES: readonly [
  code: string,
  name: string,
  loinc: string | null,
  category: string,
  cosign: number,
  conf: string[],
][] = [
  ['HP', 'History and physical', '34117-2', 'clinical', 1, []],
  ['DS', 'Discharge summary', '18842-5', 'clinical', 1, []],
  ['OP', 'Operative note', '11504-8', 'clinical', 1, []],
  ['PN', 'Progress note', '11506-3', 'clinical', 0, []],
  ['CN', 'Consultation note', '11488-4', 'clinical', 0, []],
  ['ED', 'Emergency department note', '34111-5', 'clinical', 0, []],
  ['RAD', 'Radiology report', '18748-4', 'diagnostic', 0, []],
  ['PATH', 'Pathology report', '11526-1', 'diagnostic', 0, []],
  ['LAB', 'Laboratory report', '11502-2', 'diagnostic', 0, []],
  ['NURS', 'Nursing note', '34746-8', 'clinical', 0, []],
  ['BH', 'Behavioral health note', null, 'clinical', 0, ['behavioral_health']],
  ['PSYN', 'Psychotherapy note', null, 'clinical', 0, ['psychotherapy_notes']],
  ['CONSENT', 'Consent', '59284-0', 'legal', 0, []],
  ['AUTH', 'Authorization for release of information', null, 'legal', 0, []],
  ['CORR', 'Correspondence', null, 'administrative', 0, []],
  ['OUTSIDE', 'Outside records', null, 'outside', 0, []],
  ['CCDA', 'Summary of care (C-CDA)', '34133-9', 'clinical', 0, []],
  ['MISC', 'Other clinical document', null, 'clinical', 0, []],
];

async function seedDocumentTypes(db: Kysely<unknown>): Promise<void> {
  const at = '2026-12-07T00:00:00.000Z';
  await (db as Kysely<{ document_types: Record<string, unknown> }>)
    .insertInto('document_types')
    .values(
      SEED_DOCUMENT_TYPES.map(([code, name, loinc, category, cosign, conf]) => ({
        code,
        name,
        loinc_code: loinc,
        category,
        requires_cosign: cosign,
        default_confidentiality: JSON.stringify(conf),
        active: 1,
        updated_at: at,
      })),
    )
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) await sql`drop table if exists document_pages_fts`.execute(db);
  for (const t of [
    'document_moves',
    'legal_holds',
    'document_pages',
    'document_signatures',
    'document_versions',
    'documents',
    'document_types',
  ])
    await db.schema.dropTable(t).ifExists().execute();
}
