/**
 * SQL of document pages and their full-text index (table document_pages, owned by this module). SQLite: the FTS5
 * table document_pages_fts keeps a copy of each page's text and the patient id as one token (`patient` column);
 * document_pages.fts_rowid points at it. PostgreSQL: document_pages.tsv is a generated tsvector with a GIN index.
 * Search answers the most recently filed first (FTS5 walks its index in rowid order and stops at the limit; document
 * ids are UUIDv7, ordered by filing time, on PostgreSQL): relevance ranking over every hit of a common word would
 * read them all.
 */
import { PostgresAdapter, sql, type RawBuilder } from 'kysely';
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

/**
 * Candidate pages a round of the PostgreSQL whole-record search takes after the first (a little more than the limit:
 * walking the index backwards costs in proportion to it), growing; past the last, one full query.
 */
const PG_CANDIDATE_ROUNDS = [1_000, 5_000, 25_000];

interface Candidate {
  patient_id: string;
  document_id: string;
  version: number;
  page: number;
}

/**
 * PostgreSQL. Within one patient, one query (the patient's pages are few). Across the whole record, the newest pages
 * whose text matches are taken first from document_pages alone (the planner then walks the (document_id, version,
 * page) index backwards for a common word, or the GIN index for a rare one, and stops at the limit), and only those
 * are joined to documents and patients for the filters; a round that keeps fewer than the limit takes the next, larger
 * batch after the last candidate. Joined in one query, the planner cannot tell how many hits survive the join and
 * sorts every page of a common word (seconds at a million pages).
 */
async function searchPostgres(db: Db, q: SearchQuery): Promise<SearchRow[]> {
  const tsq = sql`to_tsquery('english', ${q.terms.map((t) => `'${t}'`).join(' & ')})`;
  if (q.patientId) return searchPostgresJoined(db, q, tsq);
  const kept: Candidate[] = [];
  let after: Candidate | null = null;
  // A filter of the user's keeps fewer of the candidates: start with a larger round.
  const narrowed = Boolean(q.typeCode ?? q.encounterId ?? q.authorName ?? q.status ?? q.from ?? q.to);
  for (const take of narrowed ? PG_CANDIDATE_ROUNDS : [Math.ceil(q.limit * 1.25) + 10, ...PG_CANDIDATE_ROUNDS]) {
    const before: RawBuilder<unknown> = after
      ? sql`and (x.document_id, x.version, x.page) < (${after.document_id}, ${after.version}, ${after.page})`
      : sql``;
    const candidates: Candidate[] = (
      await sql<Candidate>`
        select x.patient_id, x.document_id, x.version, x.page from document_pages x
        where x.tsv @@ ${tsq} ${before}
        order by x.document_id desc, x.version desc, x.page desc
        limit ${take}`.execute(db)
    ).rows;
    if (candidates.length > 0) {
      const keys = sql.join(candidates.map((c) => sql`(${c.patient_id}, ${c.document_id}, ${c.version}::integer, ${c.page}::integer)`));
      const r = await sql<Candidate>`
        select x.patient_id, x.document_id, x.version, x.page
        from (values ${keys}) as x(patient_id, document_id, version, page)
        join documents d on d.patient_id = x.patient_id and d.id = x.document_id
        join patients p on p.id = d.patient_id
        where ${filters(q)}
        order by x.document_id desc, x.version desc, x.page desc
        limit ${q.limit - kept.length}`.execute(db);
      kept.push(...r.rows);
    }
    if (kept.length >= q.limit || candidates.length < take) return headlines(db, tsq, kept);
    after = candidates[candidates.length - 1]!;
  }
  // Filters that keep few of the newest hits (a narrow date range, one author): one joined query after the last round.
  const rest = await searchPostgresJoined(db, { ...q, limit: q.limit - kept.length }, tsq, after);
  const first = kept.length ? await headlines(db, tsq, kept) : [];
  return [...first, ...rest];
}

/** The rows for these pages, in the order given, with a headline of each page. */
async function headlines(db: Db, tsq: RawBuilder<unknown>, pages: Candidate[]): Promise<SearchRow[]> {
  if (pages.length === 0) return [];
  const keys = sql.join(
    pages.map((c, i) => sql`(${i}::integer, ${c.patient_id}, ${c.document_id}, ${c.version}::integer, ${c.page}::integer)`),
  );
  const r = await sql<SearchRow>`
    select x.document_id, x.version, x.page, d.patient_id, d.type_code, d.title, d.service_at, d.status, d.encounter_id,
           d.author_name, p.restricted,
           ts_headline('english', g.text, ${tsq}, 'StartSel=' || chr(1) || ', StopSel=' || chr(2) || ', MaxWords=24, MinWords=8, MaxFragments=2, FragmentDelimiter=" … "') as snippet
    from (values ${keys}) as x(n, patient_id, document_id, version, page)
    join document_pages g on g.patient_id = x.patient_id and g.document_id = x.document_id and g.version = x.version and g.page = x.page
    join documents d on d.patient_id = x.patient_id and d.id = x.document_id
    join patients p on p.id = d.patient_id
    order by x.n`.execute(db);
  return r.rows;
}

async function searchPostgresJoined(
  db: Db,
  q: SearchQuery,
  tsq: RawBuilder<unknown>,
  after: Candidate | null = null,
): Promise<SearchRow[]> {
  const patient = q.patientId ? sql`and x.patient_id = ${q.patientId}` : sql``;
  const before = after ? sql`and (x.document_id, x.version, x.page) < (${after.document_id}, ${after.version}, ${after.page})` : sql``;
  const r = await sql<SearchRow>`
    with hits as (
      select x.document_id, x.version, x.page, x.text, d.patient_id, d.type_code, d.title, d.service_at, d.status,
             d.encounter_id, d.author_name, p.restricted
      from document_pages x
      join documents d on d.patient_id = x.patient_id and d.id = x.document_id
      join patients p on p.id = d.patient_id
      where x.tsv @@ ${tsq} ${patient} ${before} and ${filters(q)}
      order by x.document_id desc, x.version desc, x.page desc
      limit ${q.limit})
    select document_id, version, page, patient_id, type_code, title, service_at, status, encounter_id, author_name, restricted,
           ts_headline('english', text, ${tsq}, 'StartSel=' || chr(1) || ', StopSel=' || chr(2) || ', MaxWords=24, MinWords=8, MaxFragments=2, FragmentDelimiter=" … "') as snippet
    from hits order by document_id desc, version desc, page desc`.execute(db);
  return r.rows;
}
