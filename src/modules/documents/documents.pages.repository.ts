/**
 * SQL of document pages and their full-text index (table document_pages, owned by this module). SQLite: the FTS5
 * table document_pages_fts keeps a copy of each page's text and the patient id as one token (`patient` column);
 * document_pages.fts_rowid points at it. PostgreSQL: document_pages.tsv is a generated tsvector with a GIN index.
 * Search answers the most recently filed first (FTS5 walks its index in rowid order and stops at the limit; document
 * ids are UUIDv7, ordered by filing time, on PostgreSQL): relevance ranking over every hit of a common word would
 * read them all.
 */
import { PostgresAdapter, sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { DocumentPageTable } from '../../db/schema-documents.js';
import type { ListScope, RecordScope } from '../access/index.js';

export const isPostgres = (db: Db): boolean => db.getExecutor().adapter instanceof PostgresAdapter;

/** The patient id as one FTS5 token (unicode61 splits at hyphens). */
export const patientToken = (patientId: string): string => `p${patientId.replace(/[^0-9A-Za-z]/g, '').toLowerCase()}`;

export type NewPage = Omit<DocumentPageTable, 'patient_id' | 'fts_rowid'>;

/** Inserts pages of one version (with their index entries). */
export async function insertPages(db: Db, scope: RecordScope, pages: readonly NewPage[]): Promise<void> {
  const pg = isPostgres(db);
  for (const p of pages) {
    let ftsRowid: number | null = null;
    if (!pg) {
      // RETURNING rowid is not reliable on a virtual table; last_insert_rowid() is (one connection, in the transaction).
      await sql`insert into document_pages_fts (text, patient, document_id, version, page)
        values (${p.text}, ${patientToken(scope.patientId)}, ${p.document_id}, ${p.version}, ${p.page})`.execute(db);
      const r = await sql<{ rowid: number }>`select last_insert_rowid() as rowid`.execute(db);
      ftsRowid = r.rows[0]!.rowid;
    }
    await db
      .insertInto('document_pages')
      .values({ ...p, patient_id: scope.patientId, fts_rowid: ftsRowid })
      .execute();
  }
}

/** Removes the pages of a document (one version, or all) and their index entries. */
export async function deletePages(db: Db, scope: RecordScope, documentId: string, version?: number): Promise<void> {
  let q = db
    .selectFrom('document_pages')
    .select('fts_rowid')
    .where('patient_id', '=', scope.patientId)
    .where('document_id', '=', documentId);
  if (version !== undefined) q = q.where('version', '=', version);
  if (!isPostgres(db)) {
    const rowids = (await q.execute()).map((r) => r.fts_rowid).filter((r): r is number => r !== null);
    for (let i = 0; i < rowids.length; i += 500)
      await sql`delete from document_pages_fts where rowid in (${sql.join(rowids.slice(i, i + 500))})`.execute(db);
  }
  let d = db.deleteFrom('document_pages').where('patient_id', '=', scope.patientId).where('document_id', '=', documentId);
  if (version !== undefined) d = d.where('version', '=', version);
  await d.execute();
}

/** Points a moved document's index entries at its new patient (SQLite; PostgreSQL reads patient_id from the row). */
export async function reindexPatientOfDocument(db: Db, to: RecordScope, documentId: string): Promise<void> {
  if (isPostgres(db)) return;
  const rowids = (
    await db
      .selectFrom('document_pages')
      .select('fts_rowid')
      .where('patient_id', '=', to.patientId)
      .where('document_id', '=', documentId)
      .execute()
  )
    .map((r) => r.fts_rowid)
    .filter((r): r is number => r !== null);
  for (let i = 0; i < rowids.length; i += 500)
    await sql`update document_pages_fts set patient = ${patientToken(to.patientId)} where rowid in (${sql.join(rowids.slice(i, i + 500))})`.execute(
      db,
    );
}

export async function listPages(db: Db, scope: RecordScope, documentId: string, version: number): Promise<DocumentPageTable[]> {
  return db
    .selectFrom('document_pages')
    .select(['patient_id', 'document_id', 'version', 'page', 'source', 'text', 'confidence', 'words', 'fts_rowid'])
    .where('patient_id', '=', scope.patientId)
    .where('document_id', '=', documentId)
    .where('version', '=', version)
    .orderBy('page')
    .execute();
}

export interface SearchQuery {
  terms: readonly string[];
  patientId?: string | null | undefined;
  typeCode?: string | null | undefined;
  encounterId?: string | null | undefined;
  authorName?: string | null | undefined;
  status?: string | null | undefined;
  from?: string | null | undefined;
  to?: string | null | undefined;
  /** Leave out documents under a confidentiality flag (the user lacks document:sensitive). */
  excludeSensitive?: boolean;
  /** Leave out restricted records (a whole-record search by a user). */
  excludeRestricted?: boolean;
  limit: number;
}

export interface SearchRow {
  patient_id: string;
  document_id: string;
  version: number;
  page: number;
  snippet: string;
  type_code: string;
  title: string;
  service_at: string;
  status: string;
  encounter_id: string | null;
  author_name: string | null;
  restricted: number;
}

/**
 * Pages whose text has every term, of current versions of documents that match the filters, newest first. Snippets
 * carry \u0001 and \u0002 around hits (made HTML by markSnippet). Only pages of the current version are searched.
 */
export async function searchPages(db: Db, _list: ListScope, q: SearchQuery): Promise<SearchRow[]> {
  if (q.terms.length === 0) return [];
  return isPostgres(db) ? searchPostgres(db, q) : searchSqlite(db, q);
}

function filters(q: SearchQuery) {
  const parts = [sql`d.current_version = x.version`, sql`d.status <> 'destroyed'`];
  if (q.typeCode) parts.push(sql`d.type_code = ${q.typeCode}`);
  if (q.encounterId) parts.push(sql`d.encounter_id = ${q.encounterId}`);
  if (q.authorName) parts.push(sql`lower(d.author_name) like ${`%${q.authorName.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`} escape '\\'`);
  if (q.status) parts.push(sql`d.status = ${q.status}`);
  if (q.from) parts.push(sql`d.service_at >= ${q.from}`);
  if (q.to) parts.push(sql`d.service_at <= ${q.to}`);
  if (q.excludeSensitive) parts.push(sql`d.confidentiality = '[]'`);
  if (q.excludeRestricted) parts.push(sql`p.restricted = 0`);
  return sql.join(parts, sql` and `);
}

async function searchSqlite(db: Db, q: SearchQuery): Promise<SearchRow[]> {
  const words = q.terms.map((t) => `"${t}"`).join(' ');
  const match = q.patientId ? `text : (${words}) AND patient : ${patientToken(q.patientId)}` : `text : (${words})`;
  const r = await sql<SearchRow>`
    select x.document_id, x.version, x.page, x.snippet, d.patient_id, d.type_code, d.title, d.service_at, d.status,
           d.encounter_id, d.author_name, p.restricted
    from (select rowid, document_id, cast(version as integer) as version, cast(page as integer) as page,
                 snippet(document_pages_fts, 0, char(1), char(2), '…', 16) as snippet
          from document_pages_fts where document_pages_fts match ${match} order by rowid desc) x
    join documents d on d.id = x.document_id
    join patients p on p.id = d.patient_id
    where ${filters(q)}
    order by x.rowid desc
    limit ${q.limit}`.execute(db);
  return r.rows;
}

async function searchPostgres(db: Db, q: SearchQuery): Promise<SearchRow[]> {
  const tsq = sql`to_tsquery('english', ${q.terms.map((t) => `'${t}'`).join(' & ')})`;
  const patient = q.patientId ? sql`and x.patient_id = ${q.patientId}` : sql``;
  const r = await sql<SearchRow>`
    with hits as (
      select x.document_id, x.version, x.page, x.text, d.patient_id, d.type_code, d.title, d.service_at, d.status,
             d.encounter_id, d.author_name, p.restricted
      from document_pages x
      join documents d on d.patient_id = x.patient_id and d.id = x.document_id
      join patients p on p.id = d.patient_id
      where x.tsv @@ ${tsq} ${patient} and ${filters(q)}
      order by x.document_id desc, x.page
      limit ${q.limit})
    select document_id, version, page, patient_id, type_code, title, service_at, status, encounter_id, author_name, restricted,
           ts_headline('english', text, ${tsq}, 'StartSel=' || chr(1) || ', StopSel=' || chr(2) || ', MaxWords=24, MinWords=8, MaxFragments=2, FragmentDelimiter=" … "') as snippet
    from hits order by document_id desc, page`.execute(db);
  return r.rows;
}
