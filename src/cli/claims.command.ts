import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { z } from 'zod';
import { isCalendarDate } from '../core/claim/claim.js';
import { invalidField } from '../core/errors.js';
import { claimFormsBatch, exportClaims } from '../modules/claims/index.js';
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
    .default('ZZ'),
  senderId: z.string().min(1).max(15).default('CUSTODIAN'),
  receiverQualifier: z
    .string()
    .regex(/^[0-9A-Z]{2}$/)
    .default('ZZ'),
  receiverId: z.string().min(1).max(15).default('RECEIVER'),
  receiverName: z.string().min(1).max(60).default('CLEARINGHOUSE'),
  submitterName: z.string().min(1).max(60).default('CUSTODIAN'),
  contactName: z.string().min(1).max(60).default('BILLING OFFICE'),
  contactPhone: z
    .string()
    .regex(/^\d{10}$/, 'ten digits')
    .default('0000000000'),
  usage: z.enum(['T', 'P']).default('T'),
});

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
    .option('--sender-qualifier <q>', 'ISA05 (default ZZ)')
    .option('--sender-id <id>', 'ISA06/GS02 and the submitter id (default CUSTODIAN)')
    .option('--receiver-qualifier <q>', 'ISA07 (default ZZ)')
    .option('--receiver-id <id>', 'ISA08/GS03 and the receiver id (default RECEIVER)')
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
              sender: { qualifier: o.senderQualifier, id: o.senderId },
              receiver: { qualifier: o.receiverQualifier, id: o.receiverId },
              submission: {
                submitterName: o.submitterName,
                submitterId: o.senderId,
                submitterContact: { name: o.contactName, phone: o.contactPhone },
                receiverName: o.receiverName,
                receiverId: o.receiverId,
              },
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
}
