import { Command } from 'commander';

/** Adds one top-level command (and its sub-commands) to the program. */
type Register = (program: Command) => void;

/**
 * The `custodian` commands, one line each: name, the description `custodian --help` lists, and the module that
 * defines it, imported only when that command runs (a command loads only what it needs: `grouper run` never
 * loads the web app or the database). Each capability registers its own sub-commands; they call services,
 * never SQL. To add a command: add a line here.
 */
const COMMANDS: readonly { name: string; description: string; load: () => Promise<Register> }[] = [
  {
    name: 'serve',
    description: 'run the web app and the API (and the HL7 MLLP listener with --mllp-port)',
    load: async () => (await import('./serve.command.js')).registerServeCommand,
  },
  { name: 'db', description: 'database administration', load: async () => (await import('./admin.command.js')).registerDbCommands },
  {
    name: 'users',
    description: 'people and access: create, list, disable, enable, reset MFA, unlock',
    load: async () => {
      const [{ registerUsersCommands }, { openCliDeps }] = await Promise.all([import('./users.command.js'), import('./shared.js')]);
      return (program) =>
        registerUsersCommands(program, async (opts) => {
          const opened = await openCliDeps(opts);
          return { deps: opened.modules.users, close: () => opened.close() };
        });
    },
  },
  {
    name: 'audit',
    description: 'the audit trail (HIPAA 164.312(b))',
    load: async () => (await import('./admin.command.js')).registerAuditCommands,
  },
  { name: 'demo', description: 'the demo hospital', load: async () => (await import('./admin.command.js')).registerDemoCommands },
  {
    name: 'codes',
    description: 'ICD-10-CM / ICD-10-PCS / HCPCS / CPT encoder: search, show, validate, PCS builder, import releases',
    load: async () => (await import('./codes.command.js')).registerCodesCommands,
  },
  {
    name: 'cac',
    description: 'computer-assisted coding: ICD-10-CM/PCS code suggestions with evidence from notes',
    load: async () => (await import('./cac.command.js')).registerCacCommands,
  },
  {
    name: 'grouper',
    description: 'CMS MS-DRG grouper for inpatient claims',
    load: async () => (await import('./grouper.command.js')).registerGrouperCommands,
  },
  {
    name: 'mce',
    description: 'Medicare Code Editor (CMS MCE) for inpatient claims',
    load: async () => (await import('./mce.command.js')).registerMceCommands,
  },
  { name: 'mpi', description: 'Master patient index tools', load: async () => (await import('./mpi.command.js')).registerMpiCommands },
  { name: 'hl7', description: 'HL7 v2 interface tools', load: async () => (await import('./hl7.command.js')).registerHl7Commands },
  {
    name: 'queries',
    description: 'Physician queries (AHIMA/ACDIS compliant query practice)',
    load: async () => (await import('./queries.command.js')).registerQueriesCommands,
  },
  {
    name: 'scheduling',
    description: 'appointments: chart pulls for the schedule',
    load: async () => (await import('./scheduling.command.js')).registerSchedulingCommands,
  },
  {
    name: 'documents',
    description: 'the legal health record: documents and their scanned pages',
    load: async () => (await import('./documents.command.js')).registerDocumentsCommands,
  },
  {
    name: 'roi',
    description: 'release of information (45 CFR 164.508, 164.524, 164.528; 42 CFR Part 2)',
    load: async () => (await import('./roi.command.js')).registerRoiCommands,
  },
  {
    name: 'scanning',
    description: 'intake scanning: barcoded cover sheets and scanned batches',
    load: async () => (await import('./scanning.command.js')).registerScanningCommands,
  },
  {
    name: 'claims',
    description: 'claims: 837I/837P export of ready claims, UB-04/CMS-1500 forms',
    load: async () => (await import('./claims.command.js')).registerClaimsCommands,
  },
  {
    name: 'remit',
    description: '835 remittance and 999/TA1/277CA acknowledgement files: read, check, post to claims',
    load: async () => (await import('./remit.command.js')).registerRemitCommands,
  },
  {
    name: 'fhir',
    description: 'the FHIR R4 API: register clients',
    load: async () => (await import('./fhir.command.js')).registerFhirCommands,
  },
  {
    name: 'drg',
    description: 'MS-DRG relative weights (CMS IPPS Table 5) for the case mix index',
    load: async () => (await import('./drg.command.js')).registerDrgCommands,
  },
  {
    name: 'deid',
    description: 'de-identification (HIPAA Safe Harbor, 45 CFR 164.514(b)(2))',
    load: async () => (await import('./deid.command.js')).registerDeidCommands,
  },
  {
    name: 'transcribe',
    description: 'speech recognition of dictated audio files on this machine (pocketsphinx, medical language model)',
    load: async () => (await import('./transcribe.command.js')).registerTranscribeCommand,
  },
];

/** The command name in the arguments (the first one that is not an option), given commander's `from` convention. */
function commandName(argv: readonly string[], from: string | undefined): string | undefined {
  const userArgs = (from === 'user' ? argv : argv.slice(from === 'electron' ? 1 : 2)).filter((a) => !a.startsWith('-'));
  // `custodian help grouper` shows the help of `grouper`.
  return userArgs[0] === 'help' ? userArgs[1] : userArgs[0];
}

/**
 * The `custodian` command. Every command is listed (for `--help`) by a placeholder; `parseAsync` first replaces
 * the placeholder of the command being run by the real one, loaded from its module (so use `parseAsync`, not
 * `parse`).
 */
export function buildProgram(): Command {
  const program = new Command('custodian')
    .description('Custodian health information management: server, database, users, audit, code sets, grouper')
    .showHelpAfterError('(run with --help for usage)');
  for (const c of COMMANDS) program.command(c.name).description(c.description);
  const parseAsync = program.parseAsync.bind(program);
  program.parseAsync = async (argv, options) => {
    const name = commandName(argv ?? process.argv, options?.from);
    const entry = COMMANDS.find((c) => c.name === name);
    if (entry) {
      const register = await entry.load();
      const at = program.commands.findIndex((c) => c.name() === entry.name);
      const placeholders = program.commands as Command[];
      placeholders.splice(at, 1);
      register(program);
      // Keep the listed order: move the real command back to the placeholder's place.
      const real = placeholders.pop();
      if (real) placeholders.splice(at, 0, real);
    }
    return parseAsync(argv, options);
  };
  return program;
}
