export * from './queries.service.js';
export * from './queries.rules.js';
export { queryReport, type QueryReport, type QueryStats } from './queries-reports.service.js';
export { notify, listNotifications, markNotificationRead, type NotificationView } from './notifications.service.js';
export { queryRoutes } from './queries.routes.js';
