/**
 * ADT interface benchmark: the sustained rate of HL7 v2 ADT messages applied over ONE MLLP connection (each
 * stored raw, applied in its transaction with audit events, committed, then acknowledged), on SQLite in a temp
 * dir, and on PostgreSQL too when TEST_DATABASE_URL is set (in a scratch schema, dropped afterwards).
 *
 *   npm run bench:adt                       # 8,000 messages
 *   npm run bench:adt -- --messages 20000
 *
 * The mix follows a registration feed: per patient A04 register, A08 update, A01 admit, A02 transfer, A03
 * discharge. Four fifths of the messages go from a sender that pipelines (the listener commits what has queued
 * as one group), the rest from a lock-step sender that waits for each ACK (one commit per message). Prints
 * messages/second and the ACK codes seen for each. Speed goals live here, not in tests (house style).
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { systemClock } from '../src/core/shared/clock.js';
import { createFieldCipher } from '../src/core/shared/crypto.js';
import { encodeMllp, MllpDecoder } from '../src/core/hl7/index.js';
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../src/db/database.js';
import { createFacilityDirectory, startMllpListener } from '../src/modules/interfaces/index.js';
import { createAuditLog } from '../src/modules/audit/index.js';
import { createRecordAccess } from '../src/modules/access/index.js';
import { patientRecordDirectory } from '../src/modules/patients/index.js';
import { createPatientMatching } from '../src/modules/mpi/index.js';

const argv = process.argv.slice(2);
const arg = (name: string, d: number) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : d;
};
const MESSAGES = arg('messages', 8000);

const FAMILY = [
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'Garcia',
  'Miller',
  'Davis',
  'Rodriguez',
  'Martinez',
  'Hernandez',
  'Lopez',
  'Gonzalez',
  'Wilson',
  'Anderson',
  'Thomas',
  'Taylor',
  'Moore',
  'Jackson',
  'Martin',
];
const SYLLABLES = [
  'ab',
  'el',
  'or',
  'un',
  'ka',
  'mi',
  'to',
  'ra',
  'si',
  'do',
  'ne',
  'lu',
  'ven',
  'dor',
  'tal',
  'ris',
  'mon',
  'ber',
  'gan',
  'hol',
];
const STREETS = ['Main St', 'Oak Ave', 'Elm St', 'Maple Dr', 'Cedar Ln', 'Pine Rd', 'Lake Blvd', 'Hill St', 'River Rd', 'Park Ave'];
const CITIES = [
  'Springfield',
  'Peoria',
  'Decatur',
  'Champaign',
  'Urbana',
  'Joliet',
  'Aurora',
  'Naperville',
  'Rockford',
  'Elgin',
  'Normal',
  'Quincy',
  'Danville',
  'Galesburg',
  'Moline',
  'Belleville',
];
const GIVEN = [
  'James',
  'Mary',
  'Robert',
  'Patricia',
  'John',
  'Jennifer',
  'Michael',
  'Linda',
  'David',
  'Elizabeth',
  'William',
  'Barbara',
  'Richard',
  'Susan',
  'Joseph',
  'Jessica',
];

function message(i: number): string {
  const p = Math.floor(i / 5);
  const step = i % 5;
  const trigger = ['A04', 'A08', 'A01', 'A02', 'A03'][step]!;
  // Distinct people, as a registration feed mostly brings: family names from a common stem and a per-person
  // syllable, dates of birth spread over 80 years, own phone and street number.
  const h = (p * 2654435761) >>> 0;
  const fam = FAMILY[p % FAMILY.length]! + SYLLABLES[h % SYLLABLES.length]! + SYLLABLES[(h >>> 8) % SYLLABLES.length]!;
  const giv = GIVEN[(h >>> 16) % GIVEN.length]!;
  const dob = new Date(Date.UTC(1930, 0, 1) + (h % 29200) * 86400_000).toISOString().slice(0, 10).replace(/-/g, '');
  const account = step === 0 ? `O${p}` : step >= 2 ? `V${p}` : '';
  const pv1 =
    step === 0 || step === 1
      ? 'PV1|1|O'
      : step === 2
        ? 'PV1|1|I|4W^401^A'
        : step === 3
          ? 'PV1|1|I|ICU^2^B|||4W^401^A'
          : 'PV1|1|I|ICU^2^B' + '|'.repeat(33) + '01' + '|'.repeat(9) + '20260305113000+0000';
  return (
    [
      `MSH|^~\\&|REG|MAIN|CUSTODIAN|bench|20260301080000+0000||ADT^${trigger}^ADT_A01|B${i}|P|2.5.1`,
      `EVN|${trigger}|20260301080000+0000`,
      `PID|1||E${p}^^^REG^MR||${fam}^${giv}^${String.fromCharCode(65 + (h % 26))}||${dob}|${p % 2 ? 'M' : 'F'}|||${1 + (h % 9000)} ${STREETS[(h >>> 4) % STREETS.length]}^^${CITIES[(h >>> 12) % CITIES.length]}^IL^6${String(h % 10000).padStart(4, '0')}||${200 + (p % 700)}-555-${String(p % 10000).padStart(4, '0')}|||||${account}`,
      pv1,
      step === 1 ? 'NK1|1|Doe^Pat|SPO^Spouse|||217-555-0000' : '',
    ]
      .filter(Boolean)
      .join('\r') + '\r'
  );
}

/**
 * Sends messages [from, to) over one connection: `pipelined` keeps writing while ACKs come back (TCP backpressure
 * only), as a sender that pipelines does; otherwise each message waits for its ACK (the classic lock-step sender).
 */
async function send(
  port: number,
  from: number,
  to: number,
  pipelined: boolean,
): Promise<{ seconds: number; codes: Record<string, number> }> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((r) => socket.once('connect', () => r()));
  const decoder = new MllpDecoder();
  const codes: Record<string, number> = {};
  let acked = 0;
  let next: (() => void) | null = null;
  const total = to - from;
  const start = performance.now();
  const done = new Promise<void>((resolve) => {
    socket.on('data', (chunk) => {
      for (const f of decoder.push(chunk)) {
        if (!f.ok) continue;
        const code = /\rMSA\|([A-Z]{2})/.exec(f.message)?.[1] ?? '??';
        codes[code] = (codes[code] ?? 0) + 1;
        next?.();
        if (++acked === total) resolve();
      }
    });
  });
  for (let i = from; i < to; i++) {
    if (pipelined) {
      if (!socket.write(encodeMllp(message(i)))) await new Promise((r) => socket.once('drain', r));
    } else {
      const acknowledged = new Promise<void>((r) => (next = r));
      socket.write(encodeMllp(message(i)));
      await acknowledged;
    }
  }
  await done;
  const seconds = (performance.now() - start) / 1000;
  socket.destroy();
  return { seconds, codes };
}

async function run(label: string, handle: DatabaseHandle): Promise<void> {
  await migrateToLatest(handle.db, { engine: handle.engine });
  await handle.db
    .insertInto('facilities')
    .values({ id: 'bench', name: 'Bench Hospital', mrn_prefix: '', next_mrn: 1000001, created_at: new Date().toISOString() })
    .execute();
  const audit = createAuditLog({ clock: systemClock });
  const cipher = createFieldCipher(undefined);
  const deps = {
    db: handle.db,
    engine: handle.engine,
    clock: systemClock,
    audit,
    records: createRecordAccess({ db: handle.db, clock: systemClock, audit, directory: patientRecordDirectory }),
    cipher,
    matching: createPatientMatching({ cipher }),
    facilities: createFacilityDirectory(handle.db),
  };
  const listener = await startMllpListener(deps, { port: 0, host: '127.0.0.1' });
  // Whole patients (5 messages each) in both runs: the pipelined run first, then the lock-step one on new patients.
  const split = Math.floor((MESSAGES * 0.8) / 5) * 5;
  const a = await send(listener.port, 0, split, true);
  const b = await send(listener.port, split, MESSAGES, false);
  await listener.close();
  const stored = await handle.db
    .selectFrom('hl7_messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  console.log(
    `${label}, pipelined sender: ${split} messages over one MLLP connection in ${a.seconds.toFixed(2)} s = ${Math.round(split / a.seconds)} messages/second; ACKs ${JSON.stringify(a.codes)}`,
  );
  console.log(
    `${label}, lock-step sender (waits for each ACK): ${MESSAGES - split} messages in ${b.seconds.toFixed(2)} s = ${Math.round((MESSAGES - split) / b.seconds)} messages/second; ACKs ${JSON.stringify(b.codes)}; stored ${stored.n} in all`,
  );
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-bench-adt-'));
try {
  const sqlite = openDatabase(path.join(dir, 'bench.sqlite'));
  try {
    await run('SQLite', sqlite);
  } finally {
    await sqlite.close();
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}

const url = process.env.TEST_DATABASE_URL;
if (url) {
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const handle = openDatabase(url, { schema });
  try {
    await run('PostgreSQL', handle);
  } finally {
    await handle.close();
    await admin.query(`drop schema ${schema} cascade`);
    await admin.end();
  }
}
