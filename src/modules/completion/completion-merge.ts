/**
 * Chart completion's part in an MPI merge: a record's completion status, its deficiencies (with waivers, disputes and
 * reassignments) and their history follow their encounter to the survivor, re-keyed to the encounter's id there, each
 * row journaled (completion records by encounter id, the others by id); the unmerge puts back every journaled row.
 * The SQL is this module's own (its tables only), kept here beside the participant that alone uses it.
 */
import type { Db } from '../../db/database.js';
import type { RecordScope } from '../access/index.js';

type Step = { from: RecordScope; to: RecordScope; encounters: readonly { from: string; to: string }[] };
type JournalEntry = { table_name: string; action: string; old_id: string | null; new_id: string };

const TABLES = ['completion_records', 'deficiencies', 'deficiency_events'] as const;

/** The encounter's id on the other record: re-keyed when its id was taken there, else the same. */
function encounterAfter(step: Step, encounterId: string): string {
  return step.encounters.find((e) => e.from === encounterId)?.to ?? encounterId;
}

async function moveRecord(trx: Db, step: Step, encounterId: string, to: string): Promise<number> {
  const r = await trx
    .updateTable('completion_records')
    .set({ patient_id: step.to.patientId, encounter_id: to })
    .where('patient_id', '=', step.from.patientId)
    .where('encounter_id', '=', encounterId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

async function moveDeficiency(trx: Db, step: Step, id: string, encounterId: string): Promise<number> {
  const r = await trx
    .updateTable('deficiencies')
    .set({ patient_id: step.to.patientId, encounter_id: encounterId })
    .where('patient_id', '=', step.from.patientId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

async function moveEvent(trx: Db, step: Step, id: string): Promise<number> {
  const r = await trx
    .updateTable('deficiency_events')
    .set({ patient_id: step.to.patientId })
    .where('patient_id', '=', step.from.patientId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export const completionMergeParticipant = {
  tables: TABLES as readonly string[],

  async merge(trx: Db, step: Step, journal: JournalEntry[]): Promise<Record<string, number>> {
    const counts: Record<string, number> = { completion_records: 0, deficiencies: 0, deficiency_events: 0 };
    const records = await trx
      .selectFrom('completion_records')
      .select('encounter_id')
      .where('patient_id', '=', step.from.patientId)
      .execute();
    for (const { encounter_id } of records) {
      const to = encounterAfter(step, encounter_id);
      counts.completion_records = (counts.completion_records ?? 0) + (await moveRecord(trx, step, encounter_id, to));
      journal.push({ table_name: 'completion_records', action: 'moved', old_id: encounter_id, new_id: to });
    }
    const deficiencies = await trx
      .selectFrom('deficiencies')
      .select(['id', 'encounter_id'])
      .where('patient_id', '=', step.from.patientId)
      .execute();
    for (const d of deficiencies) {
      counts.deficiencies = (counts.deficiencies ?? 0) + (await moveDeficiency(trx, step, d.id, encounterAfter(step, d.encounter_id)));
      journal.push({ table_name: 'deficiencies', action: 'moved', old_id: d.id, new_id: d.id });
    }
    const events = await trx.selectFrom('deficiency_events').select('id').where('patient_id', '=', step.from.patientId).execute();
    for (const e of events) {
      counts.deficiency_events = (counts.deficiency_events ?? 0) + (await moveEvent(trx, step, e.id));
      journal.push({ table_name: 'deficiency_events', action: 'moved', old_id: e.id, new_id: e.id });
    }
    return counts;
  },

  async unmerge(trx: Db, step: Step, entries: readonly JournalEntry[]): Promise<{ restored: JournalEntry[]; missing: number }> {
    const restored: JournalEntry[] = [];
    let missing = 0;
    const put = (e: JournalEntry, n: number): void => {
      if (n > 0) restored.push(e);
      else missing++;
    };
    for (const e of entries.filter((x) => x.action === 'moved')) {
      if (e.table_name === 'completion_records') put(e, await moveRecord(trx, step, e.new_id, e.old_id ?? e.new_id));
      else if (e.table_name === 'deficiencies') {
        const row = await trx.selectFrom('deficiencies').select('encounter_id').where('id', '=', e.new_id).executeTakeFirst();
        put(e, row ? await moveDeficiency(trx, step, e.new_id, encounterAfter(step, row.encounter_id)) : 0);
      } else if (e.table_name === 'deficiency_events') put(e, await moveEvent(trx, step, e.new_id));
    }
    return { restored, missing };
  },
};
