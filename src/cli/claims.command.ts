import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { z } from 'zod';
import { isCalendarDate } from '../core/claim/claim.js';
import { invalidField } from '../core/errors.js';
import { buildCorrectedClaim, buildSecondaryClaim, claimFormsBatch, exportClaims, x12PartiesOf } from '../modules/claims/index.js';
import { action, cliActor, openCliDeps, withDatabaseOptions } from './shared.js';

const Day = z.string().refine(isCalendarDate, 'a date as YYYY-MM-DD');
const ExportOptions = z.object({
  format: z.enum(['837i', '837p']),
  out: z.string().min(1),
  from: Day.optional(),
  to: Day.optional(),
  status: z.enum(['ready', 'released']).default('ready'),
  senderQualifier: z
    .string()
    .regex(/^[0-9A-Z]{2}$/)
    .optional(),
  senderId: z.string().min(1).max(15).optional(),
  receiverQualifier: z
    .string()
    .regex(/^[0-9A-Z]{2}$/)
    .optional(),
  receiverId: z.string().min(1).max(15).optional(),
  receiverName: z.string().min(1).max(60).optional(),
  submitterName: z.string().min(1).max(60).optional(),
  contactName: z.string().min(1).max(60).optional(),
  contactPhone: z
    .string()
    .regex(/^\d{10}$/, 'ten digits')
    .optional(),
  usage: z.enum(['T', 'P']).default('T'),
});

/** The configured parties (CUSTODIAN_X12_*) with the submitter name and contact the flags give instead. */
function withFlags(
  p: ReturnType<typeof x12PartiesOf>,
  o: { submitterName?: string | undefined; contactName?: string | undefined; contactPhone?: string | undefined },
): ReturnType<typeof x12PartiesOf> {
  const c = p.submission.submitterContact;
  return {
    ...p,
    submission: {
      ...p.submission,
      submitterName: o.submitterName ?? p.submission.submitterName,
      submitterContact: { name: o.contactName ?? c.name, phone: o.contactPhone ?? c.phone },
    },
  };
}

const CorrectOptions = z.object({ claim: z.string().min(1).max(64), frequency: z.enum(['7', '8']) });

const FormsOptions = z.object({
  format: z.enum(['ub04', 'cms1500']),
  out: z.string().min(1),
  from: Day.optional(),
  to: Day.optional(),
  status: z.enum(['draft', 'ready', 'released']).default('ready'),
  dataOnly: z.boolean().default(false),
});

/**
 * `custodian claims export --format 837i|837p --out FILE [--from D] [--to D] [--status ready]`: one interchange with
 * every claim of that kind and status whose statement ends in the range; the claims that went are marked released.
 * A claim that cannot be written is reported on stderr and the others go on. Prints a JSON summary; exit 1 when a
 * claim was refused (the file still holds the others).
 */
export function registerClaimsCommands(program: Command): void {
  const claims = program.command('claims').description('claims: 837I/837P export of ready claims, UB-04/CMS-1500 forms');
  withDatabaseOptions(claims.command('export').description('write every ready claim of one kind into one X12 837 interchange'))
    .requiredOption('--format <kind>', '837i (institutional) or 837p (professional)')
    .requiredOption('--out <file>', 'interchange file to write')
    .option('--from <date>', 'statement through date from (YYYY-MM-DD)')
    .option('--to <date>', 'statement through date to (YYYY-MM-DD)')
    .option('--status <status>', 'ready (default) or released (send again)')
    .option('--sender-qualifier <q>', 'ISA05 (default CUSTODIAN_X12_SENDER_QUALIFIER, else ZZ)')
    .option('--sender-id <id>', 'ISA06/GS02 and the submitter id (default CUSTODIAN_X12_SENDER_ID, else CUSTODIAN)')
    .option('--receiver-qualifier <q>', 'ISA07 (default CUSTODIAN_X12_RECEIVER_QUALIFIER, else ZZ)')
    .option('--receiver-id <id>', 'ISA08/GS03 and the receiver id (default CUSTODIAN_X12_RECEIVER_ID, else RECEIVER)')
    .option('--receiver-name <name>', 'loop 1000B receiver name')
    .option('--submitter-name <name>', 'loop 1000A submitter name')
    .option('--contact-name <name>', 'loop 1000A PER contact')
    .option('--contact-phone <digits>', 'loop 1000A PER telephone, ten digits')
    .option('--usage <T|P>', 'ISA15: T test (default) or P production')
    .action(
      action(async (raw: Record<string, string | undefined>) => {
        const parsed = ExportOptions.safeParse(raw);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          const flag = `--${String(issue?.path[0] ?? 'option').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
          throw invalidField(flag, issue?.message ?? 'invalid');
        }
        const o = parsed.data;
        const { modules, close } = await openCliDeps(raw);
        try {
          const r = await exportClaims(
            modules.claims,
            cliActor(),
            {
              kind: o.format === '837i' ? '837I' : '837P',
              status: o.status,
              ...(o.from ? { from: o.from } : {}),
              ...(o.to ? { to: o.to } : {}),
              ...withFlags(x12PartiesOf(modules.claims, o), o),
              usage: o.usage,
            },
            (text) => writeFile(o.out, text, 'ascii'),
          );
          const refused = r.claims.filter((c) => !c.ok);
          for (const c of refused)
            process.stderr.write(`claims export: claim ${c.claimId}: ${c.error?.code ?? 'error'}: ${c.error?.message ?? ''}\n`);
          const summary = {
            file: r.text ? o.out : null,
            interchangeControlNumber: r.interchangeControlNumber,
            claims: r.claims.filter((c) => c.ok).length,
            refused: refused.map((c) => ({ claimId: c.claimId, code: c.error?.code ?? 'error' })),
          };
          process.stdout.write(`${JSON.stringify(summary)}\n`);
          if (refused.length > 0) process.exitCode = 1;
        } finally {
          await close();
        }
      }),
    );
  withDatabaseOptions(claims.command('forms').description('draw every claim of one kind and status as paper forms in one PDF'))
    .requiredOption('--format <form>', 'ub04 (837I claims) or cms1500 (837P claims)')
    .requiredOption('--out <file>', 'PDF file to write')
    .option('--from <date>', 'statement through date from (YYYY-MM-DD)')
    .option('--to <date>', 'statement through date to (YYYY-MM-DD)')
    .option('--status <status>', 'ready (default), released or draft')
    .option('--data-only', 'the data alone, to print on pre-printed red forms')
    .action(
      action(async (raw: Record<string, string | boolean | undefined>) => {
        const parsed = FormsOptions.safeParse(raw);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          const flag = `--${String(issue?.path[0] ?? 'option').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
          throw invalidField(flag, issue?.message ?? 'invalid');
        }
        const o = parsed.data;
        const { modules, close } = await openCliDeps(raw);
        try {
          const r = await claimFormsBatch(modules.claims, cliActor(), {
            kind: o.format === 'ub04' ? '837I' : '837P',
            status: o.status,
            from: o.from,
            to: o.to,
            mode: o.dataOnly ? 'data' : 'form',
          });
          if (r.pdf) await writeFile(o.out, r.pdf);
          for (const c of r.refused) process.stderr.write(`claims forms: claim ${c.claimId}: ${c.code}\n`);
          process.stdout.write(`${JSON.stringify({ file: r.pdf ? o.out : null, claims: r.claims.length, refused: r.refused })}\n`);
          if (r.refused.length > 0) process.exitCode = 1;
        } finally {
          await close();
        }
      }),
    );
  withDatabaseOptions(
    claims.command('correct').description('build the replacement (7) or void (8) of a released claim the payer paid or denied'),
  )
    .requiredOption('--claim <id>', 'the released claim')
    .requiredOption('--frequency <7|8>', '7 replacement (rebuilt from the encounter) or 8 void (the claim as sent)')
    .action(
      action(async (raw: Record<string, string | undefined>) => {
        const o = CorrectOptions.safeParse(raw);
        if (!o.success) throw invalidField('--frequency', 'must be 7 (replacement) or 8 (void)');
        const { modules, close } = await openCliDeps(raw);
        try {
          const c = await buildCorrectedClaim(modules.claims, cliActor(), o.data.claim, o.data.frequency);
          process.stdout.write(`${JSON.stringify({ claimId: c.id, status: c.status, findings: c.findings.length })}\n`);
        } finally {
          await close();
        }
      }),
    );
  withDatabaseOptions(
    claims.command('secondary').description("build the claim to the next payer from a released claim's posted remittance"),
  )
    .requiredOption('--claim <id>', 'the released claim the earlier payer answered')
    .action(
      action(async (raw: Record<string, string | undefined>) => {
        const { modules, close } = await openCliDeps(raw);
        try {
          const c = await buildSecondaryClaim(modules.claims, cliActor(), z.string().min(1).max(64).parse(raw.claim));
          process.stdout.write(`${JSON.stringify({ claimId: c.id, status: c.status, findings: c.findings.length })}\n`);
        } finally {
          await close();
        }
      }),
    );
}
