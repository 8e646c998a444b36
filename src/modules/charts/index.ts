export * from './charts.rules.js';
export type { ChartDeps, ChartView, ChartRequestView, LocationRef, LocationView, MovementView } from './charts.views.js';
export { listLocations, createLocation, updateLocation, NewLocationSchema, LocationUpdateSchema } from './locations.service.js';
export type { NewLocation, LocationUpdate } from './locations.service.js';
export {
  createChart,
  searchCharts,
  getChart,
  listOverdueCharts,
  listChartsAtLocation,
  checkOutChart,
  checkInChart,
  relocateChart,
  type NewChart,
  type Destination,
  type ScanResult,
} from './charts.service.js';
export { printChartLabel, chartLabelSvg } from './charts-label.js';
export {
  createChartRequest,
  listChartRequests,
  getChartRequest,
  fulfilChartRequest,
  cancelChartRequest,
  type FulfilInput,
} from './chart-requests.service.js';
/** MPI merges (src/modules/mpi): a patient's paper charts, their moves and the requests for the record go to the survivor. */
export { chartsMergeParticipant, CHARTS_PATIENT_TABLES } from './charts-merge.js';
export { chartRoutes } from './charts.routes.js';
