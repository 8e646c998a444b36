/**
 * The dashboard's operational figures, each from the module that owns its data (through its index.ts), aggregates
 * only: chart delinquency in The Joint Commission's form (completion), accounts receivable and denials (claims),
 * interface health (interfaces), and the no-show rate (scheduling). Restricted records are counted, never shown:
 * nothing here carries a patient or a row.
 */
import type { Actor, ListScope } from '../access/index.js';
import { receivableFigures, type ReceivableFigures } from '../claims/index.js';
import { completionReport, type MonthFigures } from '../completion/index.js';
import { interfaceHealth, type InterfaceHealth } from '../interfaces/index.js';
import { appointmentOutcomes, type AppointmentOutcomes } from '../scheduling/index.js';
import type { DashboardFilter } from './dashboard-drill.rules.js';
import type { ReportsDeps } from './dashboard.service.js';

export interface OperationsFigures {
  /** This month's delinquency (records not complete by the bylaws' day), and the deficiencies outstanding. */
  delinquency: (MonthFigures & { outstandingDeficiencies: number }) | null;
  receivables: ReceivableFigures;
  interfaces: InterfaceHealth;
  appointments: AppointmentOutcomes;
}

/** The operational figures for the dashboard's range (interfaces, appointments) or as of today (delinquency, A/R). */
export async function operationsFigures(
  deps: ReportsDeps,
  actor: Actor,
  list: ListScope,
  filter: DashboardFilter,
  today: string,
): Promise<OperationsFigures> {
  const range = { from: `${filter.from}T00:00:00.000Z`, to: `${filter.to}T23:59:59.999Z` };
  const completion = await completionReport(deps, actor, { months: 1, ...(filter.facility ? { facilityId: filter.facility } : {}) });
  const month = completion.trend.at(-1);
  return {
    delinquency: month ? { ...month, outstandingDeficiencies: completion.byPhysician.reduce((s, p) => s + p.open + p.disputed, 0) } : null,
    receivables: await receivableFigures(deps.db, list, today),
    interfaces: await interfaceHealth(deps.db, range),
    appointments: await appointmentOutcomes(deps.db, range),
  };
}
