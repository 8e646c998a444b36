export { createGroupingService, parseClaim, type GroupingService, type EncounterGrouping } from './grouping.service.js';
export { groupingRoutes } from './grouping.routes.js';
