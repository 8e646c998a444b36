/**
 * Chart-completion notices by email (issue 18): one digest per physician per notice run, to the user's work email
 * (`users.email`, set by the administrator), through the shared mail module. Minimum necessary (45 CFR 164.502(b)):
 * the email says how many deficiencies reached a notice age and the oldest age, never a patient, account or
 * requirement; the details are behind sign-in in the completion inbox.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Mailer } from '../mail/index.js';
import type { NoticePort } from './completion.views.js';

export function emailNoticeDigest(deps: { db: Kysely<Database>; mailer: Mailer }): NonNullable<NoticePort['digest']> {
  return async ({ userId, notices, oldestAgeDays }) => {
    const u = await deps.db.selectFrom('users').select(['email', 'disabled']).where('id', '=', userId).executeTakeFirst();
    if (!u?.email || u.disabled) return;
    const many = notices === 1 ? 'deficiency' : 'deficiencies';
    await deps.mailer.send({
      to: u.email,
      subject: `Chart completion: ${notices} ${many} waiting for you`,
      text:
        `${notices} chart ${many} assigned to you reached a notice age (the oldest is ${oldestAgeDays} days old).\n\n` +
        'Sign in to Custodian and open your completion inbox to complete them. Records not complete within the ' +
        "medical staff's deadline after discharge become delinquent (42 CFR 482.24(c)(4)(viii)).\n",
    });
  };
}
