/** Reports and dashboards for the HIM director (issue 24): the figures, the lists behind them, DRG relative weights. */
export {
  directorDashboard,
  dashboardEncounters,
  DashboardQuerySchema,
  DrillQuerySchema,
  type Dashboard,
  type ReportsDeps,
} from './dashboard.service.js';
export { importDrgWeights, listWeightYears, type WeightImportResult } from './drg-weights.service.js';
export { parseTable5, type Table5, type DrgWeightRow } from './drg-weights.rules.js';
export { reportsRoutes } from './reports.routes.js';
export * from './dashboard.rules.js';
export * from './dashboard-drill.rules.js';
export { himIndex, IndexQuerySchema } from './him-indexes.service.js';
export * from './him-indexes.rules.js';
export { runConsoleSql, SQL_ROW_CAP, SQL_TIME_LIMIT_MS, type SqlConsoleResult } from './sql-console.service.js';
export { checkConsoleSql } from './sql-console.rules.js';
export {
  deliverScheduledReports,
  deleteSavedReport,
  isDue,
  listSavedReports,
  saveReport,
  type DeliveryResult,
  type SavedReport,
} from './saved-reports.service.js';
