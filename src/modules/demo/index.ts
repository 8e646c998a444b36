export {
  seedDemo,
  isDatabaseEmpty,
  isDemoLoaded,
  demoUsers,
  DEMO_PASSWORD,
  DEMO_ADMIN_TOTP_SECRET,
  DEMO_FACILITY_ID,
  type SeedResult,
} from './demo.service.js';
export { DEMO_BATCH_FILE } from './demo.scanning.js';
export { demoProviders } from './demo.rules.js';
