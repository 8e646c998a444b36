export * from './queries.service.js';
export { applyQueryAging, escalateQueries, runScheduledEscalation } from './queries-aging.service.js';
export * from './queries.rules.js';
export { queryAgingReport, queryReport, type QueryAging, type QueryReport, type QueryStats } from './queries-reports.service.js';
export { notify, listNotifications, markNotificationRead, type NotificationView } from './notifications.service.js';
/** Reads of the queries of encounters, for the coding workspace (pending queries hold final coding; the worklist; the quality report). */
export { countPendingQueries, queryStatusesOf, listAnsweredQueriesOfFinalCoded } from './queries.repository.js';
/** MPI merges (src/modules/mpi): queries and notifications follow their encounter through this module. */
export { queriesMergeParticipant } from './queries-merge.js';
export { queryRoutes } from './queries.routes.js';
