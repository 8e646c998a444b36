/**
 * The disease, procedure and physician indexes over a date range, searchable by code range: final-coded discharges
 * through the list scope, restricted ones counted and not listed. Audited as a search of `him_index`.
 */
import { z } from 'zod';
import { isoNow } from '../../core/shared/clock.js';
import { invalid } from '../../core/errors.js';
import { Permission, type Actor } from '../access/index.js';
import { AuditAction } from '../audit/index.js';
import * as repo from './dashboard.repository.js';
import { audited, type ReportsDeps } from './dashboard.service.js';
import { buildIndex, IndexKinds, type IndexEntry, type IndexedDischarge, type IndexKind } from './him-indexes.rules.js';

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
const Code = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9.]{1,8}$/, 'a code or category (letters, digits, dot)')
  .optional();

export const IndexQuerySchema = z.object({
  from: Day.optional(),
  to: Day.optional(),
  codeFrom: Code,
  codeTo: Code,
  physician: z.string().trim().min(1).max(64).optional(),
  facility: z.string().trim().min(1).max(100).optional(),
});
export const IndexKindSchema = z.enum(IndexKinds);

const addDays = (day: string, n: number) => new Date(Date.parse(day) + n * 86_400_000).toISOString().slice(0, 10);

interface AbstractCodes {
  principalDx?: { code?: string } | null;
  secondaryDx?: { code?: string }[];
  procedures?: { code?: string }[];
}

/** One index over discharges from `from` to `to` (the month to today by default; at most five years). */
export async function himIndex(
  deps: ReportsDeps,
  actor: Actor,
  kind: IndexKind,
  query: unknown,
): Promise<{ kind: IndexKind; from: string; to: string; entries: IndexEntry[] }> {
  const parsed = IndexQuerySchema.safeParse(query ?? {});
  if (!parsed.success) throw invalid(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const q = parsed.data;
  const to = q.to ?? isoNow(deps.clock).slice(0, 10);
  const from = q.from ?? addDays(to, -30);
  if (from > to) throw invalid('from: the range starts after it ends');
  if (addDays(from, 5 * 366) < to) throw invalid('from: an index covers at most five years');
  const list = await deps.records.openList(actor, { permission: Permission.reportsRead, resourceType: 'him_index' });
  const rows = await repo.listFinalCodedDischarges(deps.db, list, { from: `${from}T00:00:00.000Z`, to: `${to}T23:59:59.999Z` }, q.facility);
  const discharges = rows.map((r): IndexedDischarge => {
    const a = JSON.parse(r.data) as AbstractCodes;
    const codes = (xs: { code?: string }[] | undefined) => (xs ?? []).flatMap((x) => (x.code ? [x.code] : []));
    return {
      encounterId: r.encounter_id,
      patientId: r.patient_id,
      mrn: r.mrn,
      patientName: `${r.family_name}, ${r.given_name}`,
      accountNumber: r.account_number,
      restricted: r.restricted === 1,
      dischargeAt: r.discharge_at,
      attendingId: r.attending_provider_id,
      attending: r.attending_family ? `${r.attending_given ?? ''} ${r.attending_family}`.trim() : null,
      drg: r.final_drg,
      principalDx: a.principalDx?.code ?? null,
      secondaryDx: codes(a.secondaryDx),
      procedures: codes(a.procedures),
    };
  });
  const entries = buildIndex(kind, discharges, (d) => list.showsDetails(d), q);
  await audited(deps, actor, AuditAction.search, 'him_index', { kind, from, to, entries: entries.length });
  return { kind, from, to, entries };
}

/** The index as one report table: a row per discharge under each key, and a line for withheld ones. */
export function indexTable(r: { kind: IndexKind; entries: IndexEntry[] }) {
  const name = { disease: 'Disease index', procedure: 'Procedure index', physician: 'Physician index' }[r.kind];
  return [
    {
      name,
      header: [
        r.kind === 'physician' ? 'physician' : 'code',
        'MRN',
        'patient',
        'account',
        'discharged',
        'attending',
        'MS-DRG',
        r.kind === 'physician' ? 'principal dx' : 'role',
      ],
      rows: r.entries.flatMap((e) => [
        ...e.rows.map((x) => [
          e.label,
          x.mrn,
          x.patientName,
          x.accountNumber,
          x.dischargeAt?.slice(0, 10) ?? null,
          x.attending,
          x.drg,
          x.role,
        ]),
        ...(e.withheld > 0 ? [[e.label, `${e.withheld} restricted record(s) counted, not listed`]] : []),
      ]),
    },
  ];
}
