import { createHash, createHmac } from 'node:crypto';
import type { Db } from '../../db/database.js';
import type { MpiModelTable, PatientTable } from '../../db/schema.js';
import type { FieldCipher } from '../../core/shared/crypto.js';
import { newId } from '../../core/shared/ids.js';
import {
  BLOCKING_KEY_VERSION,
  blockingKeys,
  createMatcher,
  normalizeRecord,
  parseMatchModel,
  parseStoredTermFrequencies,
  type MatchModel,
  type Matcher,
  type PairScore,
  type PersonRecord,
  type TermFrequencies,
} from '../../core/matching/index.js';
import { listOtherNames, listUnmergedPatientsAfter, type PatientMatching } from '../patients/index.js';
import * as repo from './mpi.repository.js';

/**
 * Matching in the MPI: persisted blocking, the candidate look-up, the duplicate screen and the live model. Each
 * patient's blocking keys (src/core/matching/blocking.ts) are stored in patient_match_keys as keyed hashes
 * (HMAC-SHA-256): a key such as "s123456789" would otherwise keep the SSN in the clear next to its encrypted column. A lookup hashes the new person's keys the same way and reads only the
 * patients that share one, skipping blocks too common to discriminate, so it stays fast among a million patients.
 */

/** Posterior probability from which a pair goes to the potential-duplicate worklist. */
export const REVIEW_THRESHOLD = 0.8;
/** Candidates shown at registration start lower: the clerk decides, and a missed duplicate costs more. */
export const CANDIDATE_THRESHOLD = 0.3;
/** Most stored records scored per lookup (those sharing the most blocking keys with the person). */
const MAX_CANDIDATES = 50;
/** Index entries read per blocking key (a bound on the work a very common key can cause). */
const MAX_BLOCK = 100;

/** What matching needs: the field cipher (SSNs are compared, decrypted in memory only) and the hashing secret's source. */
export interface MatchDeps {
  cipher: FieldCipher;
  /** Only `encryptionKey` is read: the match-key hashing secret is derived from it. */
  config?: { encryptionKey?: string | undefined };
}

/** How long a database's live model is used before checking for a newer fit (by this or another process). */
const MODEL_REFRESH_MS = 60_000;
const defaultMatcher: Matcher = createMatcher();
/** The live matcher of each database, keyed by its Kysely adapter (one per handle, shared by its transactions). */
const liveMatchers = new WeakMap<object, { matcher: Matcher; modelId: string | null; checkedAt: number }>();

/**
 * The matcher of this database's fitted model (mpi_models: the latest active row; see src/modules/mpi), or of the
 * default model when none is stored. Cached per database and checked again every MODEL_REFRESH_MS.
 */
async function liveMatcher(db: Db, deps: MatchDeps): Promise<Matcher> {
  const hit = liveMatchers.get(db.getExecutor().adapter);
  if (hit && performance.now() - hit.checkedAt < MODEL_REFRESH_MS) return hit.matcher;
  // Lookups running meanwhile keep the current matcher instead of all reading the model.
  if (hit) hit.checkedAt = performance.now();
  return reloadMatchModel(db, deps);
}

/**
 * The latest active fitted model of this database (mpi_models), with its row; null when none is stored or this
 * version cannot read it (other fields or levels), so that the default model applies.
 */
export async function activeMatchModel(db: Db): Promise<{ row: MpiModelTable; model: MatchModel } | null> {
  const row = await repo.findActiveModel(db);
  const model = row ? parseMatchModel(row.model) : null;
  return row && model ? { row, model } : null;
}

/**
 * Reads the active model of this database now and makes it the live matcher (after a fit), with the term
 * frequencies stored beside the fitted model (fitMpiModel): an exact agreement on a rare family name, given name
 * or city weighs more than one on a common value, as in batch linkage. The default model has none.
 */
export async function reloadMatchModel(db: Db, deps: MatchDeps): Promise<Matcher> {
  const active = await activeMatchModel(db);
  const key = db.getExecutor().adapter;
  const hit = liveMatchers.get(key);
  const modelId = active?.row.id ?? null;
  const matcher = !active
    ? defaultMatcher
    : hit?.modelId === modelId
      ? hit.matcher
      : createMatcher({ model: active.model, termFrequencies: storedTermFrequencies(active.row.model), termKey: termKeyOf(deps) });
  liveMatchers.set(key, { matcher, modelId, checkedAt: performance.now() });
  return matcher;
}
/** The term-frequency tables stored in a model row's JSON (`termFrequencies`), if any. */
function storedTermFrequencies(json: string): TermFrequencies | undefined {
  try {
    return parseStoredTermFrequencies((JSON.parse(json) as { termFrequencies?: unknown }).termFrequencies) ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * Key of a normalised name or city in the stored term-frequency tables: a keyed hash (the match-key secret), so
 * that mpi_models holds counts, not names in the clear.
 */
export function termKeyOf(deps: MatchDeps): (value: string) => string {
  const secret = secretOf(deps);
  return (value) => createHmac('sha256', secret).update(`tf|${value}`).digest('base64url').slice(0, 16);
}

const secrets = new Map<string, Buffer>();

function secretOf(deps: MatchDeps): Buffer {
  const base = deps.config?.encryptionKey ?? 'custodian-development-key';
  let s = secrets.get(base);
  if (!s) {
    s = createHash('sha256').update(`custodian-mpi-match-keys|${base}`).digest();
    secrets.set(base, s);
  }
  return s;
}

/** The hashed blocking keys of a person (deduplicated). */
export function matchKeysOf(deps: MatchDeps, person: PersonRecord): string[] {
  const secret = secretOf(deps);
  const keys = new Set(blockingKeys(normalizeRecord(person)));
  return [...keys].map((k) => createHmac('sha256', secret).update(k).digest('base64url').slice(0, 22));
}

/** The matching view of a patient row (SSN decrypted in memory only). */
export function personOfPatient(deps: MatchDeps, p: PatientTable): PersonRecord {
  return {
    id: p.id,
    givenName: p.given_name,
    familyName: p.family_name,
    middleName: p.middle_name ?? undefined,
    dateOfBirth: p.date_of_birth ?? '',
    sex: p.sex,
    street: p.address_line1 ?? undefined,
    addressLine2: p.address_line2 ?? undefined,
    city: p.city ?? undefined,
    postcode: p.postal_code ?? undefined,
    state: p.state ?? undefined,
    phone: p.phone ?? undefined,
    ssn: p.ssn_encrypted ? deps.cipher.decrypt(p.ssn_encrypted) : undefined,
    email: p.email ?? undefined,
  };
}

type AliasName = { given_name: string; family_name: string; middle_name: string | null };

/** Other names (alias, maiden, previous, merged) of each patient, for matching under any name the person used. */
async function aliasesOf(db: Db, ids: string[]): Promise<Map<string, AliasName[]>> {
  const out = new Map<string, AliasName[]>();
  if (ids.length === 0) return out;
  for (const r of await listOtherNames(db, ids)) {
    const list = out.get(r.patient_id) ?? [];
    list.push(r);
    out.set(r.patient_id, list);
  }
  return out;
}

/** The person under the legal name, then under each other name (same date of birth, address, phone, SSN). */
function personVariants(deps: MatchDeps, p: PatientTable, aliases: AliasName[] = []): PersonRecord[] {
  const legal = personOfPatient(deps, p);
  return [
    legal,
    ...aliases.map((a) => ({ ...legal, givenName: a.given_name, familyName: a.family_name, middleName: a.middle_name ?? undefined })),
  ];
}

/**
 * Replaces a patient's stored match keys (after registration, a demographic or alias change, a merge): the keys
 * of the legal name and of every other name, so that a person registering under a former name is still found.
 * Answers the keys of the legal name, for the duplicate screen that follows (screenForDuplicates `keys`).
 */
export async function refreshMatchKeys(
  trx: Db,
  deps: MatchDeps,
  patient: PatientTable,
  opts: { isNew?: boolean; aliases?: { givenName: string; familyName: string; middleName?: string | undefined }[] } = {},
): Promise<string[]> {
  if (!opts.isNew) await repo.deleteMatchKeys(trx, patient.id);
  if (patient.merged_into !== null) return [];
  // A new patient's other names are those just inserted: no need to read them back.
  const aliases =
    opts.isNew && opts.aliases
      ? opts.aliases.map((a) => ({ given_name: a.givenName, family_name: a.familyName, middle_name: a.middleName ?? null }))
      : (await aliasesOf(trx, [patient.id])).get(patient.id);
  const [legal, ...others] = personVariants(deps, patient, aliases).map((v) => matchKeysOf(deps, v));
  const keys = new Set([...legal!, ...others.flat()]);
  if (keys.size > 0)
    await repo.insertMatchKeys(
      trx,
      [...keys].map((key) => ({ patient_id: patient.id, key })),
    );
  return legal!;
}

/** What the stored keys must have been made with: the key version and a fingerprint of the hashing secret. */
export function currentMatchKeyVersion(deps: MatchDeps): string {
  return `${BLOCKING_KEY_VERSION}:${createHash('sha256').update(secretOf(deps)).digest('hex').slice(0, 12)}`;
}

export interface MatchKeyRebuild {
  /** False when the stored keys were already current (nothing was done). */
  rebuilt: boolean;
  patients: number;
  keyVersion: string;
}

/** Patients rebuilt per transaction: small enough that a registration waiting on the database is not held long. */
const REKEY_BATCH = 500;

/**
 * Recomputes every unmerged patient's stored match keys, in batches of REKEY_BATCH patients (one transaction
 * each, in id order), then records the key version. Interrupted, it is simply run again: each batch is whole.
 */
export async function rebuildMatchKeys(
  db: Db,
  deps: MatchDeps,
  opts: { onProgress?: (done: number) => void } = {},
): Promise<MatchKeyRebuild> {
  const keyVersion = currentMatchKeyVersion(deps);
  let after = '';
  let patients = 0;
  for (;;) {
    const batch = await listUnmergedPatientsAfter(db, after, REKEY_BATCH);
    if (batch.length === 0) break;
    await db.transaction().execute(async (trx) => {
      const ids = batch.map((p) => p.id);
      await repo.deleteMatchKeysOfMany(trx, ids);
      const aliases = await aliasesOf(trx, ids);
      const rows: { patient_id: string; key: string }[] = [];
      for (const p of batch) {
        const keys = new Set(personVariants(deps, p, aliases.get(p.id)).flatMap((v) => matchKeysOf(deps, v)));
        for (const key of keys) rows.push({ patient_id: p.id, key });
      }
      // Another process rebuilding at the same moment (two starting after an upgrade) writes the same rows.
      await repo.insertMatchKeysIfMissing(trx, rows);
    });
    patients += batch.length;
    after = batch[batch.length - 1]!.id;
    opts.onProgress?.(patients);
  }
  await db
    .transaction()
    .execute((trx) =>
      repo.setMatchKeyState(trx, { key_version: keyVersion, rebuilt_at: new Date().toISOString(), patient_count: patients }),
    );
  return { rebuilt: true, patients, keyVersion };
}

/**
 * Rebuilds the stored match keys when they were made by other blocking keys or another secret (see migration
 * 0007); run at start-up after the migrations. An empty database only records the version.
 */
export async function ensureMatchKeysCurrent(
  db: Db,
  deps: MatchDeps,
  opts: { onProgress?: (done: number) => void } = {},
): Promise<MatchKeyRebuild> {
  const keyVersion = currentMatchKeyVersion(deps);
  if ((await repo.findMatchKeyVersion(db)) === keyVersion) return { rebuilt: false, patients: 0, keyVersion };
  return rebuildMatchKeys(db, deps, opts);
}

/** Removes a patient's match keys (a merged record is no longer a candidate). */
export async function dropMatchKeys(trx: Db, patientId: string): Promise<void> {
  await repo.deleteMatchKeys(trx, patientId);
}

export interface ScoredPatient {
  patient: PatientTable;
  score: number;
  weight: number;
  explanation: PairScore;
}

/**
 * Existing, unmerged patients likely to be `person`, best first. Reads the patients that share blocking keys
 * (the MAX_CANDIDATES sharing most), scores each with the Fellegi–Sunter matcher and keeps those at `threshold`.
 */
export async function findScoredCandidates(
  db: Db,
  deps: MatchDeps,
  person: PersonRecord,
  opts: { threshold?: number; limit?: number; excludeId?: string; keys?: string[] } = {},
): Promise<ScoredPatient[]> {
  const keys = opts.keys ?? matchKeysOf(deps, person);
  if (keys.length === 0) return [];
  // The patients sharing the most blocking keys first: a true duplicate shares several (name, date of birth,
  // phone, SSN, address keys), so scoring the best MAX_CANDIDATES of them bounds the work of a lookup however
  // common one key is.
  // Each key reads at most MAX_BLOCK index entries, so a key too common to discriminate (a city and a frequent
  // family name among a million patients) costs a bounded scan instead of its whole block.
  // One statement: the top candidates joined to their rows, with whether each has other names to read.
  const found = await repo.findCandidateRows(db, keys, MAX_BLOCK, MAX_CANDIDATES);
  if (found.length === 0) return [];
  const named: string[] = [];
  const rows: PatientTable[] = found.map(({ has_other_names, ...row }) => {
    if (has_other_names === true || Number(has_other_names) === 1) named.push(row.id);
    return row;
  });
  const matcher = await liveMatcher(db, deps);
  const query = matcher.normalize(person);
  const threshold = opts.threshold ?? CANDIDATE_THRESHOLD;
  const aliases = await aliasesOf(db, named);
  const hits: ScoredPatient[] = [];
  for (const row of rows) {
    if (row.id === opts.excludeId || row.id === person.id) continue;
    // The best of the legal name and the other names the person is known by.
    let best: ScoredPatient | null = null;
    for (const variant of personVariants(deps, row, aliases.get(row.id))) {
      const other = matcher.normalize(variant);
      const quick = matcher.scoreIfAtLeast(query, other, threshold);
      if (quick && (!best || quick.weight > best.weight))
        best = { patient: row, score: quick.score, weight: quick.weight, explanation: matcher.scorePair(query, other) };
    }
    if (best) hits.push(best);
  }
  hits.sort((a, b) => b.weight - a.weight);
  return hits.slice(0, opts.limit ?? 10);
}

/** Explains the comparison of two stored patients field by field (worklist side-by-side view). */
export async function comparePatients(db: Db, deps: MatchDeps, a: PatientTable, b: PatientTable): Promise<PairScore> {
  const matcher = await liveMatcher(db, deps);
  return matcher.scorePair(personOfPatient(deps, a), personOfPatient(deps, b));
}

/**
 * Puts every pair of `patient` with an existing record above REVIEW_THRESHOLD on the potential-duplicate
 * worklist (status open), unless the pair is already listed. Returns the number of new pairs. `keys`: the
 * patient's hashed blocking keys when the caller has them (refreshMatchKeys answers them).
 */
export async function screenForDuplicates(
  trx: Db,
  deps: MatchDeps,
  patient: PatientTable,
  source: string,
  nowIso: string,
  keys?: string[],
): Promise<number> {
  if (patient.merged_into !== null) return 0;
  const hits = await findScoredCandidates(trx, deps, personOfPatient(deps, patient), {
    threshold: REVIEW_THRESHOLD,
    limit: 20,
    excludeId: patient.id,
    ...(keys ? { keys } : {}),
  });
  let added = 0;
  for (const h of hits) {
    const [a, b] = patient.id < h.patient.id ? [patient.id, h.patient.id] : [h.patient.id, patient.id];
    const exists = await repo.findPairIdOf(trx, a, b);
    if (exists) {
      await repo.updateOpenPairScore(trx, exists, h.score, h.weight);
      continue;
    }
    await repo.insertPair(trx, {
      id: newId(),
      patient_id_1: a,
      patient_id_2: b,
      score: h.score,
      weight: h.weight,
      status: 'open',
      source,
      detected_at: nowIso,
      resolved_at: null,
      resolved_by: null,
      resolution_note: null,
      merge_id: null,
    });
    added++;
  }
  return added;
}

/**
 * The MPI's side of registration (the PatientMatching port of src/modules/patients): after each patient write, the
 * match keys and the duplicate screen; the candidate look-up of the registration screen. Wired where the deps are
 * assembled (src/app/bootstrap.ts), with the cipher and the configuration the match keys are made with.
 */
export function createPatientMatching(deps: MatchDeps): PatientMatching {
  return {
    async afterWrite(trx, patient, opts) {
      const keys = await refreshMatchKeys(trx, deps, patient, { isNew: opts.isNew, aliases: opts.aliases });
      return screenForDuplicates(trx, deps, patient, opts.source, opts.at, keys);
    },
    findCandidates: (db, person, opts) =>
      findScoredCandidates(db, deps, person, { limit: opts.limit, threshold: opts.threshold ?? CANDIDATE_THRESHOLD }),
  };
}
