export * from './access.rules.js';
export { requirePermission } from './access.service.js';
