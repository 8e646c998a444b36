/**
 * SQL of chart completion: its own tables (completion_settings, completion_records, deficiencies, deficiency_events),
 * and reads, never writes, of the facts the analysis needs from the tables of patients (encounters), coding
 * (coding_abstracts: coded procedures) and documents (documents, versions, signatures, types, page text), in a few
 * set-based queries per chunk of encounters, so a batch of 100,000 encounters does not run a query per document.
 */
import { insertRows, type Db } from '../../db/database.js';
import type { CompletionRecordTable, DeficiencyEventTable, DeficiencyTable } from '../../db/schema-completion.js';
import type { ListScope, RecordScope } from '../access/index.js';
import { loadScheduledSurgeries } from './completion.procedures.js';
import { isSurgicalPcs, OUTSTANDING, type DocumentFacts, type EncounterFacts } from './completion.rules.js';

const CHUNK = 500;

function chunks<T>(xs: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += CHUNK) out.push(xs.slice(i, i + CHUNK));
  return out;
}

export interface FactsOf {
  encounter: EncounterFacts & { facilityId: string; status: string };
  documents: DocumentFacts[];
}

function proceduresOf(data: string): EncounterFacts['surgeries'] {
  try {
    const d = JSON.parse(data) as { procedures?: { code?: unknown; date?: unknown; operatingProviderId?: unknown }[] };
    return (d.procedures ?? [])
      .filter((p) => typeof p.code === 'string' && isSurgicalPcs(p.code))
      .map((p) => ({
        code: p.code as string,
        date: typeof p.date === 'string' ? p.date : null,
        surgeonProviderId: typeof p.operatingProviderId === 'string' ? p.operatingProviderId : null,
      }));
  } catch {
    return [];
  }
}

/** The facts of each encounter (those that exist), with its live documents. */
export async function loadFacts(db: Db, _list: ListScope | RecordScope, encounterIds: readonly string[]): Promise<Map<string, FactsOf>> {
  const out = new Map<string, FactsOf>();
  for (const ids of chunks(encounterIds)) {
    if (ids.length === 0) continue;
    // The encounter and its coding abstract in one query (one round trip fewer per re-analysis).
    const encs = await db
      .selectFrom('encounters as e')
      .leftJoin('coding_abstracts as a', 'a.encounter_id', 'e.id')
      .select([
        'e.patient_id',
        'e.id',
        'e.facility_id',
        'e.type',
        'e.status',
        'e.admit_at',
        'e.discharge_at',
        'e.attending_provider_id',
        'a.data as abstract',
      ])
      .where('e.id', 'in', ids)
      .execute();
    for (const e of encs)
      out.set(e.id, {
        encounter: {
          encounterId: e.id,
          patientId: e.patient_id,
          facilityId: e.facility_id,
          status: e.status,
          type: e.type,
          admitAt: e.admit_at,
          dischargeAt: e.discharge_at,
          attendingProviderId: e.attending_provider_id,
          surgeries: e.abstract === null ? [] : proceduresOf(e.abstract),
        },
        documents: [],
      });
    await loadScheduledSurgeries(
      db,
      _list,
      encs.map((e) => out.get(e.id)!.encounter),
      out,
    );
    await loadDocuments(db, ids, out);
  }
  return out;
}

async function loadDocuments(db: Db, ids: string[], out: Map<string, FactsOf>): Promise<void> {
  const docs = await db
    .selectFrom('documents as d')
    .innerJoin('document_types as t', 't.code', 'd.type_code')
    .innerJoin('document_versions as v', (j) =>
      j.onRef('v.patient_id', '=', 'd.patient_id').onRef('v.document_id', '=', 'd.id').onRef('v.version', '=', 'd.current_version'),
    )
    .leftJoin('users as u', 'u.id', 'd.author_id')
    .select([
      'd.patient_id',
      'd.id',
      'd.encounter_id',
      'd.type_code',
      'd.status',
      'd.service_at',
      'd.current_version',
      't.requires_cosign',
      'v.page_count',
      'v.text_source',
      'u.provider_id as author_provider_id',
    ])
    .where('d.encounter_id', 'in', ids)
    .where('d.status', '!=', 'destroyed')
    .execute();
  if (docs.length === 0) return;
  const docIds = docs.map((d) => d.id);
  const sigs = await db
    .selectFrom('document_signatures as s')
    .leftJoin('users as u', 'u.id', 's.signer_id')
    .select(['s.document_id', 's.version', 's.role', 's.signed_at', 'u.provider_id'])
    .where('s.document_id', 'in', docIds)
    .execute();
  // Text only of the documents a content rule reads (discharge summaries, operative reports), current version.
  const readable = docs.filter((d) => (d.type_code === 'DS' || d.type_code === 'OP') && d.text_source !== 'ocr_pending');
  const pages =
    readable.length === 0
      ? []
      : await db
          .selectFrom('document_pages')
          .select(['document_id', 'version', 'page', 'text'])
          .where(
            'document_id',
            'in',
            readable.map((d) => d.id),
          )
          .orderBy('page')
          .execute();
  const current = new Map(docs.map((d) => [d.id, d.current_version]));
  const texts = new Map<string, string>();
  for (const p of pages)
    if (current.get(p.document_id) === p.version) texts.set(p.document_id, `${texts.get(p.document_id) ?? ''}${p.text}\n`);
  for (const d of docs) {
    const f = out.get(d.encounter_id!);
    if (!f) continue;
    const pendingTranscription = d.status === 'preliminary' && d.page_count === 0;
    f.documents.push({
      id: d.id,
      typeCode: d.type_code,
      status: d.status,
      serviceAt: d.service_at,
      authorProviderId: d.author_provider_id ?? null,
      requiresCosign: d.requires_cosign === 1,
      signatures: sigs
        .filter((s) => s.document_id === d.id && s.version === d.current_version)
        .map((s) => ({ role: s.role, providerId: s.provider_id ?? null, signedAt: s.signed_at })),
      pendingTranscription,
      text: readable.some((r) => r.id === d.id) ? (texts.get(d.id) ?? '') : null,
    });
  }
}

/** The stored settings of a facility (JSON), if the HIM director set any. */
export async function findSettings(db: Db, facilityId: string): Promise<string | undefined> {
  return (await db.selectFrom('completion_settings').select('settings').where('facility_id', '=', facilityId).executeTakeFirst())?.settings;
}

/** Facilities with their own completion settings (bylaws). */
export async function settingsFacilities(db: Db): Promise<string[]> {
  return (await db.selectFrom('completion_settings').select('facility_id').execute()).map((r) => r.facility_id);
}

export async function saveSettings(db: Db, facilityId: string, settings: string, by: string, at: string): Promise<void> {
  const n = await db
    .updateTable('completion_settings')
    .set({ settings, updated_by: by, updated_at: at })
    .where('facility_id', '=', facilityId)
    .executeTakeFirst();
  if (Number(n.numUpdatedRows) === 0)
    await db.insertInto('completion_settings').values({ facility_id: facilityId, settings, updated_by: by, updated_at: at }).execute();
}

/** Deficiencies of the encounters (all statuses). */
export async function listDeficienciesOf(
  db: Db,
  _list: ListScope | RecordScope,
  encounterIds: readonly string[],
): Promise<DeficiencyTable[]> {
  const out: DeficiencyTable[] = [];
  for (const ids of chunks(encounterIds))
    if (ids.length > 0)
      out.push(
        ...(await db.selectFrom('deficiencies').selectAll().where('encounter_id', 'in', ids).orderBy('created_at').orderBy('id').execute()),
      );
  return out;
}

export async function findDeficiency(db: Db, _list: ListScope, id: string): Promise<DeficiencyTable | undefined> {
  return db.selectFrom('deficiencies').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertDeficiencies(db: Db, rows: DeficiencyTable[]): Promise<void> {
  for (const c of chunks(rows)) if (c.length > 0) await insertRows(db, 'deficiencies', c);
}

export async function insertEvents(db: Db, rows: DeficiencyEventTable[]): Promise<void> {
  for (const c of chunks(rows)) if (c.length > 0) await insertRows(db, 'deficiency_events', c);
}

export async function updateDeficiencies(db: Db, scope: RecordScope, ids: readonly string[], set: Partial<DeficiencyTable>): Promise<void> {
  for (const c of chunks(ids))
    if (c.length > 0)
      await db.updateTable('deficiencies').set(set).where('patient_id', '=', scope.patientId).where('id', 'in', c).execute();
}

export async function findRecord(db: Db, encounterId: string): Promise<CompletionRecordTable | undefined> {
  return db.selectFrom('completion_records').selectAll().where('encounter_id', '=', encounterId).executeTakeFirst();
}

export async function upsertRecord(db: Db, row: CompletionRecordTable, exists: boolean): Promise<void> {
  if (!exists) {
    await db.insertInto('completion_records').values(row).execute();
    return;
  }
  const { patient_id, encounter_id, ...set } = row;
  await db
    .updateTable('completion_records')
    .set(set)
    .where('patient_id', '=', patient_id)
    .where('encounter_id', '=', encounter_id)
    .execute();
}

/** Discharged encounters never analysed (the sweep that runs analysis at discharge). */
export async function listUnanalysedDischarges(db: Db, _list: ListScope, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('encounters as e')
    .leftJoin('completion_records as r', 'r.encounter_id', 'e.id')
    .select('e.id')
    .where('e.status', '=', 'discharged')
    .where('e.discharge_at', 'is not', null)
    .where('r.encounter_id', 'is', null)
    .orderBy('e.discharge_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** Encounters a document touches now or did (its encounter, and any whose deficiency names it). */
export async function encountersOfDocument(db: Db, _list: ListScope, documentId: string): Promise<string[]> {
  const a = await db.selectFrom('documents').select('encounter_id').where('id', '=', documentId).execute();
  const b = await db.selectFrom('deficiencies').select('encounter_id').where('document_id', '=', documentId).execute();
  return [...new Set([...a.map((r) => r.encounter_id), ...b.map((r) => r.encounter_id)].filter((x): x is string => x !== null))];
}

/** The provider of a user (the physician's inbox is by provider). */
export async function providerOfUser(db: Db, userId: string): Promise<string | null> {
  return (await db.selectFrom('users').select('provider_id').where('id', '=', userId).executeTakeFirst())?.provider_id ?? null;
}

export async function providerExists(db: Db, providerId: string): Promise<boolean> {
  return (await db.selectFrom('providers').select('id').where('id', '=', providerId).executeTakeFirst()) !== undefined;
}

/** Providers by id, with a display name (list labels). */
export async function providerNames(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const c of chunks([...new Set(ids)]))
    if (c.length > 0)
      for (const p of await db
        .selectFrom('providers')
        .select(['id', 'family_name', 'given_name', 'credentials'])
        .where('id', 'in', c)
        .execute())
        out.set(p.id, `${p.given_name} ${p.family_name}${p.credentials ? `, ${p.credentials}` : ''}`);
  return out;
}

/** Users of a provider (who receive its in-app notices). */
export async function usersOfProvider(db: Db, providerId: string): Promise<string[]> {
  return (await db.selectFrom('users').select('id').where('provider_id', '=', providerId).where('disabled', '=', 0).execute()).map(
    (r) => r.id,
  );
}

export interface LabelRow {
  patient_id: string;
  encounter_id: string;
  mrn: string;
  family_name: string;
  given_name: string;
  restricted: number;
  account_number: string;
  type: string;
  discharge_at: string | null;
}

/** MRN, name and account of encounters (what a list shows; dates and type only where details are shown). */
export async function labelsOf(db: Db, _list: ListScope, encounterIds: readonly string[]): Promise<Map<string, LabelRow>> {
  const out = new Map<string, LabelRow>();
  for (const c of chunks([...new Set(encounterIds)]))
    if (c.length > 0)
      for (const r of await db
        .selectFrom('encounters as e')
        .innerJoin('patients as p', 'p.id', 'e.patient_id')
        .select([
          'e.patient_id',
          'e.id as encounter_id',
          'p.mrn',
          'p.family_name',
          'p.given_name',
          'p.restricted',
          'e.account_number',
          'e.type',
          'e.discharge_at',
        ])
        .where('e.id', 'in', c)
        .execute())
        out.set(r.encounter_id, r);
  return out;
}

/** The open deficiencies of a provider, oldest first (the physician's inbox). */
export async function listInbox(db: Db, _list: ListScope, providerId: string, limit: number): Promise<DeficiencyTable[]> {
  return db
    .selectFrom('deficiencies')
    .selectAll()
    .where('responsible_provider_id', '=', providerId)
    .where('status', '=', 'open')
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Completion records by status (incomplete ones, delinquent told by the cutoff), oldest discharge first. */
export async function listRecords(
  db: Db,
  _list: ListScope,
  f: { status?: 'incomplete' | 'complete' | 'delinquent' | undefined; delinquentBefore: string; limit: number },
): Promise<CompletionRecordTable[]> {
  let q = db.selectFrom('completion_records').selectAll();
  if (f.status === 'complete') q = q.where('status', '=', 'complete');
  else if (f.status === 'delinquent') q = q.where('status', '=', 'incomplete').where('discharge_at', '<', f.delinquentBefore);
  else if (f.status === 'incomplete') q = q.where('status', '=', 'incomplete').where('discharge_at', '>=', f.delinquentBefore);
  else q = q.where('status', '=', 'incomplete');
  return q.orderBy('discharge_at').orderBy('encounter_id').limit(f.limit).execute();
}

/** Completion records of these encounters (the DNFB worklist's completion column). */
export async function recordsOf(db: Db, _list: ListScope | RecordScope, encounterIds: readonly string[]): Promise<CompletionRecordTable[]> {
  const out: CompletionRecordTable[] = [];
  for (const c of chunks([...new Set(encounterIds)]))
    if (c.length > 0) out.push(...(await db.selectFrom('completion_records').selectAll().where('encounter_id', 'in', c).execute()));
  return out;
}

/** Outstanding deficiencies with their encounter's discharge date (reports). */
export async function listOutstanding(
  db: Db,
  _list: ListScope,
  facilityId?: string,
): Promise<(DeficiencyTable & { discharge_at: string; facility_id: string; record_status: string })[]> {
  let q = db
    .selectFrom('deficiencies as d')
    .innerJoin('completion_records as r', 'r.encounter_id', 'd.encounter_id')
    .selectAll('d')
    .select(['r.discharge_at', 'r.facility_id', 'r.status as record_status'])
    .where('d.status', 'in', [...OUTSTANDING]);
  if (facilityId !== undefined) q = q.where('r.facility_id', '=', facilityId);
  return q.execute();
}

/**
 * Deficiencies created in [from, to) with a responsible provider (physician scorecards), with their record's discharge
 * and facility. Aggregated by provider: no patient leaves the report.
 */
export async function listScorecardDeficiencies(
  db: Db,
  _list: ListScope,
  from: string,
  to: string,
  facilityId?: string,
): Promise<
  {
    responsible_provider_id: string | null;
    encounter_id: string;
    status: string;
    created_at: string;
    resolved_at: string | null;
    discharge_at: string;
    facility_id: string;
  }[]
> {
  let q = db
    .selectFrom('deficiencies as d')
    .innerJoin('completion_records as r', 'r.encounter_id', 'd.encounter_id')
    .select(['d.responsible_provider_id', 'd.encounter_id', 'd.status', 'd.created_at', 'd.resolved_at', 'r.discharge_at', 'r.facility_id'])
    .where('d.created_at', '>=', from)
    .where('d.created_at', '<', to)
    .where('d.responsible_provider_id', 'is not', null);
  if (facilityId !== undefined) q = q.where('r.facility_id', '=', facilityId);
  return q.execute();
}

/** The physician who disputed, for each dispute ("not my patient") raised in [from, to) (physician scorecards). */
export async function listDisputers(db: Db, _list: ListScope, from: string, to: string, facilityId?: string): Promise<string[]> {
  let q = db
    .selectFrom('deficiency_events as e')
    .innerJoin('deficiencies as d', (j) => j.onRef('d.patient_id', '=', 'e.patient_id').onRef('d.id', '=', 'e.deficiency_id'))
    .innerJoin('completion_records as r', 'r.encounter_id', 'd.encounter_id')
    .select('e.from_provider_id')
    .where('e.kind', '=', 'disputed')
    .where('e.at', '>=', from)
    .where('e.at', '<', to)
    .where('e.from_provider_id', 'is not', null);
  if (facilityId !== undefined) q = q.where('r.facility_id', '=', facilityId);
  return (await q.execute()).map((r) => r.from_provider_id!);
}

/** Every completion record discharged in [from, to) (reports: rate, trend, time to completion). */
export async function listRecordsDischarged(
  db: Db,
  _list: ListScope,
  from: string,
  to: string,
  facilityId?: string,
): Promise<CompletionRecordTable[]> {
  let q = db.selectFrom('completion_records').selectAll().where('discharge_at', '>=', from).where('discharge_at', '<', to);
  if (facilityId !== undefined) q = q.where('facility_id', '=', facilityId);
  return q.execute();
}

/** Delinquent records of each responsible provider (the suspension list): outstanding deficiencies on records past the cutoff. */
export async function delinquentByProvider(
  db: Db,
  _list: ListScope,
  /** The delinquency cutoff of a record's facility (its bylaws' days after discharge). */
  cutoffOf: (facilityId: string) => string,
  /** The latest of the cutoffs: no record discharged after it can be delinquent. */
  latestCutoff: string,
  facilityId?: string,
): Promise<{ provider_id: string; records: number; oldest: string }[]> {
  let q = db
    .selectFrom('deficiencies as d')
    .innerJoin('completion_records as r', 'r.encounter_id', 'd.encounter_id')
    .select(['d.responsible_provider_id', 'd.encounter_id', 'r.discharge_at', 'r.facility_id'])
    .where('d.status', 'in', [...OUTSTANDING])
    .where('r.status', '=', 'incomplete')
    .where('r.discharge_at', '<', latestCutoff)
    .where('d.responsible_provider_id', 'is not', null);
  if (facilityId !== undefined) q = q.where('r.facility_id', '=', facilityId);
  const rows = (await q.execute()).filter((r) => r.discharge_at < cutoffOf(r.facility_id));
  const by = new Map<string, { encounters: Set<string>; oldest: string }>();
  for (const r of rows) {
    const p = by.get(r.responsible_provider_id!) ?? { encounters: new Set<string>(), oldest: r.discharge_at };
    p.encounters.add(r.encounter_id);
    if (r.discharge_at < p.oldest) p.oldest = r.discharge_at;
    by.set(r.responsible_provider_id!, p);
  }
  return [...by].map(([provider_id, v]) => ({ provider_id, records: v.encounters.size, oldest: v.oldest }));
}

export async function listEvents(db: Db, scope: RecordScope, deficiencyIds: readonly string[]): Promise<DeficiencyEventTable[]> {
  if (deficiencyIds.length === 0) return [];
  return db
    .selectFrom('deficiency_events')
    .selectAll()
    .where('patient_id', '=', scope.patientId)
    .where('deficiency_id', 'in', [...deficiencyIds])
    .orderBy('at')
    .orderBy('id')
    .execute();
}

/** Whether a notice of this kind was already sent for the resource (in-app notices are sent once per age). */
export async function noticeSent(db: Db, kind: string, resourceId: string): Promise<boolean> {
  return (
    (await db
      .selectFrom('notifications')
      .select('id')
      .where('kind', '=', kind)
      .where('resource_id', '=', resourceId)
      .executeTakeFirst()) !== undefined
  );
}
