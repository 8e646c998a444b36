import { loadConfig } from '../../src/config/config.js';

/**
 * The official CMS/CDC files (code sets, MS-DRG and MCE tables) that tests and benchmarks read: CUSTODIAN_DATA_DIR,
 * else ../shared/data/cms beside the repository, as the server would read them (src/config/config.ts).
 */
export const testDataDir: string = loadConfig().dataDir;
