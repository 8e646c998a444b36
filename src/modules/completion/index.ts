/** Chart completion: deficiency analysis, the analyst's worklist, the physician's completion inbox, delinquency, reports. */
export * from './completion.rules.js';
export type {
  CompletionDeps,
  SigningPort,
  NoticePort,
  DeficiencyView,
  CompletionRecordView,
  ChartCompletionView,
  InboxItem,
  RecordLabel,
} from './completion.views.js';
export { analyseEncounters, delinquentCutoff, type AnalysisResult } from './completion.analysis.js';
export {
  analyseDischarges,
  reanalyseForDocument,
  reanalyseForAppointment,
  analyseChart,
  getChartCompletion,
  listCompletionWorklist,
  completionStatusesOf,
  addDeficiency,
  waiveDeficiency,
  reassignDeficiency,
  completeDeficiency,
  disputeDeficiency,
  listInbox,
  signFromInbox,
  sendCompletionNotices,
  type SignResult,
  type ChartCompletionStatus,
} from './completion.service.js';
export {
  listSuspensions,
  completionReport,
  reportCsv,
  reportXlsx,
  ReportQuerySchema,
  type Suspension,
  type CompletionReport,
  type MonthFigures,
  physicianScorecards,
  scorecardCsv,
  scorecardXlsx,
  ScorecardQuerySchema,
  type Scorecard,
  type ScorecardReport,
} from './completion.reports.js';
export { getCompletionSettings, setCompletionSettings } from './completion.settings.js';
export { completionRoutes } from './completion.routes.js';
export { completionMergeParticipant } from './completion-merge.js';
export { emailNoticeDigest } from './completion.notices.js';
