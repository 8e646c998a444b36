export * from './scheduling.rules.js';
export { findFirstAvailable, type FirstAvailableQuery, type FoundSlot } from './scheduling.search.js';
export type { SchedulingDeps, SiuDestination, AppointmentView } from './scheduling.views.js';
export {
  bookAppointment,
  rescheduleAppointment,
  setAppointmentStatus,
  bookAppointmentInTx,
  rescheduleAppointmentInTx,
  setAppointmentStatusInTx,
  isUniqueViolation,
  BookSchema,
  RescheduleSchema,
  type BookInput,
  type RescheduleInput,
} from './appointments.service.js';
export {
  createResource,
  createAppointmentType,
  addTemplates,
  addException,
  listCalendar,
  firstAvailable,
  issueFeedToken,
} from './setup.service.js';
export { addToWaitlist, listWaitlist } from './waitlist.service.js';
export { enqueueSiu, deliverSiuOutbox, MAX_ATTEMPTS, type DeliveryResult } from './siu.outbound.js';
export { buildSiu, readInboundSiu, hl7TimeToIso, SIU_EVENTS, type SiuEvent, type InboundSiu } from './siu.rules.js';
/** MPI merges (src/modules/mpi): a patient's appointments and waitlist entries go to the survivor. */
export { schedulingMergeParticipant } from './scheduling-merge.js';
export { SCHEDULING_PATIENT_TABLES } from './scheduling.repository.js';
export { schedulingRoutes } from './scheduling.routes.js';
export { listScheduleSetup } from './setup.service.js';
export { sendReminders, providerFeed, type ReminderResult } from './reminders.service.js';
export { createSchedulingWorker, type SchedulingWorker, type SchedulingSweepResult } from './scheduling.worker.js';
export { requestChartsForAppointments, ChartPullSchema, type ChartPullResult } from './chart-pulls.service.js';
export { applyInboundSiuInTx, SIU_DELETED_REASON, type InboundSiuApplied } from './siu.inbound.js';
/** Aggregates for the director's dashboard (src/modules/reports). */
export { appointmentOutcomes, type AppointmentOutcomes } from './scheduling-figures.js';
/** Chart completion (src/modules/completion) reads procedure appointments through this. */
export { listProcedureAppointments, type ProcedureAppointment } from './procedures.repository.js';
