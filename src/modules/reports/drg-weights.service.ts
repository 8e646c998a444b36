/**
 * Importing CMS Table 5 relative weights (`custodian drg import-weights FILE`): the file is read whole, its rows
 * that are not an MS-DRG are reported and the rest stored, replacing that fiscal year's weights. The system's own
 * work (the CLI), audited.
 */
import { isoNow } from '../../core/shared/clock.js';
import { invalid } from '../../core/errors.js';
import { Permission, requirePermission, type Actor } from '../access/index.js';
import { AuditAction, recordAudit } from '../audit/index.js';
import * as repo from './dashboard.repository.js';
import { parseTable5 } from './drg-weights.rules.js';
import type { ReportsDeps } from './dashboard.service.js';

export interface WeightImportResult {
  fiscalYear: number;
  imported: number;
  skipped: { line: number; reason: string }[];
}

/**
 * Stores the weights of one Table 5 text. The fiscal year comes from the file (FY NNNN in its title or header) or
 * `fiscalYear`; when both are given they must agree.
 */
export async function importDrgWeights(
  deps: ReportsDeps,
  actor: Actor,
  input: { text: string; fileName: string; fiscalYear?: number | undefined },
): Promise<WeightImportResult> {
  if (!actor.system) await requirePermission(deps, actor, Permission.reportsRead, { type: 'drg_weights' });
  let table;
  try {
    table = parseTable5(input.text);
  } catch (e) {
    throw invalid(`${input.fileName}: ${(e as Error).message}`);
  }
  const fy = input.fiscalYear ?? table.fiscalYear;
  if (fy === null) throw invalid(`${input.fileName}: the file does not name its fiscal year (FY NNNN); give --fiscal-year`);
  if (input.fiscalYear !== undefined && table.fiscalYear !== null && table.fiscalYear !== input.fiscalYear)
    throw invalid(`--fiscal-year ${input.fiscalYear} but the file is FY ${table.fiscalYear}`);
  if (fy < 2008 || fy > 2100) throw invalid(`fiscal year ${fy}: MS-DRGs began in FY 2008`);
  if (table.rows.length === 0) throw invalid(`${input.fileName}: no MS-DRG rows with a weight`);
  await deps.db.transaction().execute(async (trx) => {
    await repo.replaceWeights(trx, fy, table.rows, input.fileName, isoNow(deps.clock));
    await recordAudit(trx, deps.audit, actor, {
      action: AuditAction.importWeights,
      resourceType: 'drg_weights',
      resourceId: String(fy),
      outcome: 'success',
      detail: { fiscalYear: fy, imported: table.rows.length, skipped: table.skipped.length },
    });
  });
  return { fiscalYear: fy, imported: table.rows.length, skipped: table.skipped };
}

/** The imported fiscal years. */
export async function listWeightYears(deps: Pick<ReportsDeps, 'db'>): Promise<{ fiscalYear: number; drgs: number }[]> {
  return repo.weightYears(deps.db);
}
