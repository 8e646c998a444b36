/**
 * What the claims module reads of coding (through this module's index.ts): the final-coded abstract of an opened
 * encounter and the MS-DRG stamped at final coding. The caller has opened the record through the record-access step.
 */
import type { Db } from '../../db/database.js';
import type { RecordScope } from '../access/index.js';
import type { AbstractData } from './coding.rules.js';
import * as repo from './coding.repository.js';
import { parseData } from './coding.service.js';

export interface FinalCodedAbstract {
  data: AbstractData;
  /** MS-DRG at final coding (inpatient), else null. */
  finalDrg: string | null;
  codedAt: string | null;
}

/** The abstract when the encounter is final-coded; null while it is a draft or was never coded. */
export async function finalAbstractOfEncounter(db: Db, scope: RecordScope): Promise<FinalCodedAbstract | null> {
  const row = await repo.findAbstract(db, scope);
  if (row?.status !== 'final') return null;
  return { data: parseData(row.data), finalDrg: row.final_drg, codedAt: row.coded_at };
}
