/**
 * `custodian fhir clients create --name NAME --scope "SCOPES" [--jwks FILE] [--role ROLE] [--patient ID] [--json]`
 * registers a FHIR API client (src/modules/fhir): with --jwks a SMART Backend Services client (its public keys),
 * otherwise a secret client, whose secret is printed once. `custodian fhir clients list [--json]` lists them.
 */
import fs from 'node:fs/promises';
import type { Command } from 'commander';
import { createClient, listClients, parseJwks } from '../modules/fhir/index.js';
import { action, cliActor, openCliDeps, withDatabaseOptions } from './shared.js';

interface CreateOptions {
  name: string;
  scope: string;
  jwks?: string;
  role?: string;
  patient?: string;
  json?: boolean;
  database?: string;
  dataDir?: string;
}

async function runCreate(opts: CreateOptions): Promise<void> {
  const jwks = opts.jwks === undefined ? undefined : parseJwks(await fs.readFile(opts.jwks, 'utf8'));
  const o = await openCliDeps(opts);
  try {
    const made = await createClient(o.modules.fhir, cliActor(), {
      name: opts.name,
      scope: opts.scope,
      ...(opts.role ? { role: opts.role } : {}),
      ...(opts.patient ? { patientId: opts.patient } : {}),
      ...(jwks ? { jwks } : {}),
    });
    if (opts.json) process.stdout.write(`${JSON.stringify(made)}\n`);
    else
      process.stdout.write(`client id: ${made.clientId}\n${made.clientSecret ? `client secret (shown once): ${made.clientSecret}\n` : ''}`);
  } finally {
    await o.close();
  }
}

async function runList(opts: { json?: boolean; database?: string; dataDir?: string }): Promise<void> {
  const o = await openCliDeps(opts);
  try {
    const clients = await listClients(o.modules.fhir, cliActor());
    for (const c of clients)
      process.stdout.write(opts.json ? `${JSON.stringify(c)}\n` : `${c.clientId}  ${c.name}  ${c.auth}  ${c.role}  ${c.scope}\n`);
  } finally {
    await o.close();
  }
}

export function registerFhirCommands(program: Command): void {
  const fhir = program.command('fhir').description('the FHIR R4 API: register clients');
  const clients = fhir.command('clients').description('API clients (client credentials, SMART Backend Services)');
  withDatabaseOptions(
    clients
      .command('create')
      .description('register a client; prints its id and, for a secret client, its secret (once)')
      .requiredOption('--name <name>', 'a name for the client (shown in the audit trail)')
      .requiredOption('--scope <scopes>', 'SMART scopes, space-separated (system/*.rs, system/Patient.read, patient/*.rs)')
      .option('--jwks <file>', 'a JSON JWK set of the public keys the client signs its assertions with (SMART Backend Services)')
      .option('--role <role>', 'the role whose permissions the client acts with (default coder)')
      .option('--patient <id>', 'the patient id patient/ scopes are bound to')
      .option('--json', 'print {"clientId", "clientSecret"}'),
  ).action(action(runCreate));
  withDatabaseOptions(
    clients.command('list').description('list the registered clients (no secrets)').option('--json', 'one JSON line per client'),
  ).action(action(runList));
}
