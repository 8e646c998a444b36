import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailer, type Mailer } from './index.js';
import { mailHeaders, mailParts, startSmtpListener, type SmtpListener } from '../../../test/support/smtp.js';

describe('mail: SMTP Mailer against a real in-process SMTP listener', () => {
  let smtp: SmtpListener;
  let mailer: Mailer;
  beforeAll(async () => {
    smtp = await startSmtpListener();
    mailer = createMailer({ smtpUrl: smtp.url, mailFrom: 'clinic@example.org' })!;
  });
  afterAll(async () => {
    mailer.close();
    await smtp.close();
  });

  it('is off (undefined) when CUSTODIAN_SMTP_URL is unset', () => {
    expect(createMailer({})).toBeUndefined();
    expect(createMailer({ smtpUrl: '' })).toBeUndefined();
  });

  it('delivers a message with its text and attachment, sent as CUSTODIAN_MAIL_FROM', async () => {
    const receipt = await mailer.send({
      to: 'patient@example.org',
      subject: 'Your appointment',
      text: 'See you on Monday at 09:00.',
      attachments: [{ filename: 'visit.ics', content: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n', contentType: 'text/calendar' }],
    });
    expect(receipt.accepted).toEqual(['patient@example.org']);
    const mail = await smtp.nextMessage(0);
    expect(mail.from).toBe('clinic@example.org');
    expect(mail.to).toEqual(['patient@example.org']);
    expect(mailHeaders(mail).subject).toBe('Your appointment');
    const parts = mailParts(mail);
    expect(parts.find((p) => p.contentType.startsWith('text/plain'))?.body).toContain('Monday at 09:00');
    const ics = parts.find((p) => p.filename === 'visit.ics');
    expect(ics?.body).toContain('BEGIN:VCALENDAR');
  });

  it('refuses a malformed address before anything is sent', async () => {
    await expect(mailer.send({ to: 'not an address', subject: 's', text: 't' })).rejects.toThrow();
  });
});
