/**
 * Worker thread of the parallel batch runner: opens the grouper tables once, then groups chunks of
 * JSON lines sent by the pool and answers with the output text of each chunk.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { groupLine, loadClaimSchema } from './batch.js';
import { openGrouperSet } from './grouper-set.js';

interface WorkerInit {
  dataDir: string;
  cacheDir?: string;
  version?: string;
}
interface ChunkRequest {
  seq: number;
  first: number;
  lines: string[];
}

const init = workerData as WorkerInit;
await loadClaimSchema();
const set = openGrouperSet(init.dataDir, { cacheDir: init.cacheDir });
if (init.version) set.get(init.version);

parentPort?.on('message', (msg: ChunkRequest) => {
  let out = '';
  let grouped = 0;
  let errors = 0;
  msg.lines.forEach((line, i) => {
    const r = groupLine(set, line, msg.first + i, init.version);
    if (!r) return;
    out += r.out + '\n';
    if (r.ok) grouped++;
    else errors++;
  });
  parentPort?.postMessage({ seq: msg.seq, out, grouped, errors });
});
parentPort?.postMessage({ ready: true });
