import nodemailer from 'nodemailer';
import { z } from 'zod';

/** One file attached to a message (an .ics invitation, a PDF). */
export interface MailAttachment {
  filename: string;
  content: string | Uint8Array;
  /** MIME type, e.g. `text/calendar; method=REQUEST`. */
  contentType: string;
}

/** One outgoing message. `to` is an address only; the body carries no more PHI than its purpose needs. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  attachments?: readonly MailAttachment[];
}

/** The SMTP server's answer to one message. */
export interface MailReceipt {
  messageId: string;
  accepted: readonly string[];
  rejected: readonly string[];
}

/**
 * The port a module sends mail through (reminders, chart-completion notices). Owned here so that every module
 * sends the same way; a module that may run without mail takes `Mailer | undefined` (see `createMailer`).
 */
export interface Mailer {
  send(message: MailMessage): Promise<MailReceipt>;
  /** Closes pooled connections (at shutdown). */
  close(): void;
}

/** The settings the mail module reads (CUSTODIAN_SMTP_URL, CUSTODIAN_MAIL_FROM). */
export interface MailConfig {
  smtpUrl?: string | undefined;
  mailFrom?: string | undefined;
}

const AddressSchema = z.email();

/**
 * A Mailer over SMTP (nodemailer) to `smtpUrl` (`smtp://host:port`, `smtps://user:pass@host:465`), sending as
 * `mailFrom`; `undefined` when no SMTP URL is configured (mail is off). A failed send rejects with the SMTP
 * server's error (no message content in it).
 */
export function createMailer(config: MailConfig): Mailer | undefined {
  if (config.smtpUrl === undefined || config.smtpUrl === '') return undefined;
  const from = config.mailFrom ?? 'custodian@localhost.localdomain';
  const transport = nodemailer.createTransport(config.smtpUrl);
  return {
    async send(message) {
      AddressSchema.parse(message.to);
      const info = await transport.sendMail({
        from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        attachments: (message.attachments ?? []).map((a) => ({
          filename: a.filename,
          content: typeof a.content === 'string' ? a.content : Buffer.from(a.content),
          contentType: a.contentType,
        })),
      });
      const addresses = (list: unknown): string[] =>
        Array.isArray(list) ? list.map((a: unknown) => (typeof a === 'string' ? a : (a as { address: string }).address)) : [];
      return { messageId: info.messageId, accepted: addresses(info.accepted), rejected: addresses(info.rejected) };
    },
    close() {
      transport.close();
    },
  };
}
