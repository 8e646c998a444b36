import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';

/** One message the listener received: the SMTP envelope and the raw RFC 5322 text. */
export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
}

/** One MIME part, decoded (base64 and quoted-printable bodies). */
export interface MailPart {
  headers: Record<string, string>;
  contentType: string;
  filename?: string;
  body: string;
}

export interface SmtpListener {
  /** `smtp://127.0.0.1:PORT`, for CUSTODIAN_SMTP_URL. */
  url: string;
  messages: ReceivedMail[];
  /** Resolves with the nth message (0-based) once it has arrived: no polling, no sleeps. */
  nextMessage(index?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

/**
 * A real SMTP server (smtp-server) in the test process on a free port of 127.0.0.1, without TLS or auth, collecting
 * every message. Generic: any module's mail test (reminders, chart completion) reads what it sent from here.
 */
export async function startSmtpListener(): Promise<SmtpListener> {
  const messages: ReceivedMail[] = [];
  const waiters: { index: number; resolve: (m: ReceivedMail) => void }[] = [];
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const mail: ReceivedMail = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        };
        messages.push(mail);
        for (const w of waiters.splice(0)) {
          const m = messages[w.index];
          if (m) w.resolve(m);
          else waiters.push(w);
        }
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    nextMessage(index = messages.length) {
      const m = messages[index];
      if (m) return Promise.resolve(m);
      return new Promise((resolve) => waiters.push({ index, resolve }));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function parseHeaders(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return headers;
}

function decodeBody(body: string, encoding: string | undefined): string {
  if (encoding?.toLowerCase() === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding?.toLowerCase() === 'quoted-printable')
    return Buffer.from(
      body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
      'latin1',
    ).toString('utf8');
  return body;
}

/** The message's headers (lower-case names, folded lines joined). */
export function mailHeaders(mail: ReceivedMail): Record<string, string> {
  const end = mail.raw.search(/\r?\n\r?\n/);
  return parseHeaders(mail.raw.slice(0, end));
}

/** The message's leaf MIME parts, decoded (multipart/* followed to any depth; a single-part message is one part). */
export function mailParts(mail: ReceivedMail): MailPart[] {
  const walk = (entity: string): MailPart[] => {
    const split = entity.search(/\r?\n\r?\n/);
    const headers = parseHeaders(split < 0 ? entity : entity.slice(0, split));
    const body = split < 0 ? '' : entity.slice(split).replace(/^\r?\n\r?\n/, '');
    const contentType = headers['content-type'] ?? 'text/plain';
    const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
    if (contentType.toLowerCase().startsWith('multipart/') && boundary) {
      return body
        .split(`--${boundary}`)
        .slice(1)
        .filter((p) => !p.startsWith('--'))
        .flatMap((p) => walk(p.replace(/^\r?\n/, '')));
    }
    const filename = /filename="?([^";]+)"?/i.exec(headers['content-disposition'] ?? '')?.[1];
    return [
      {
        headers,
        contentType,
        ...(filename ? { filename } : {}),
        body: decodeBody(body, headers['content-transfer-encoding']),
      },
    ];
  };
  return walk(mail.raw);
}
