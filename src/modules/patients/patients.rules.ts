/** Pure rules of the patient record: MRN check digits, masking, name search keys. */

/** Luhn (mod 10) check digit of a string of digits. */
export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** An MRN: the facility's sequence number as 7 digits followed by its Luhn check digit (8 digits). */
export function formatMrn(sequence: number): string {
  const body = String(sequence).padStart(7, '0');
  return body + String(luhnCheckDigit(body));
}

/** True when the MRN's last digit is the Luhn check digit of the rest (catches single-digit typos and most transpositions). */
export function isValidMrn(mrn: string): boolean {
  if (!/^\d{2,}$/.test(mrn)) return false;
  return luhnCheckDigit(mrn.slice(0, -1)) === Number(mrn.slice(-1));
}

export function maskSsn(last4: string | null): string | null {
  return last4 ? `***-**-${last4}` : null;
}

export function ssnLast4(ssn: string): string {
  return ssn.replace(/\D/g, '').slice(-4);
}

/**
 * How a free-text patient search is read: an MRN, a date of birth, or name words ("family, given" or "given
 * family"). Name words are prefixes matched literally (the repository escapes LIKE wildcards).
 */
export type PatientQuery =
  | { kind: 'mrn'; mrn: string }
  | { kind: 'dob'; dateOfBirth: string }
  | { kind: 'name'; family: string; given?: string; dateOfBirth?: string };

export function parsePatientQuery(q: string): PatientQuery | null {
  const text = q.trim();
  if (!text) return null;
  if (/^\d{6,}$/.test(text)) return { kind: 'mrn', mrn: text };
  let dob: string | undefined;
  const rest = text
    .replace(/\b(\d{4}-\d{2}-\d{2}|\d{1,2}\/\d{1,2}\/\d{4})\b/, (m) => {
      dob = toIsoDate(m);
      return ' ';
    })
    .trim();
  if (!rest) return dob ? { kind: 'dob', dateOfBirth: dob } : null;
  let family: string;
  let given: string | undefined;
  if (rest.includes(',')) {
    const [f, g] = rest.split(',', 2);
    family = f!.trim();
    given = g?.trim() || undefined;
  } else {
    const words = rest.split(/\s+/);
    if (words.length === 1) family = words[0]!;
    else {
      given = words[0];
      family = words.slice(1).join(' ');
    }
  }
  // "," or ", Jane" has no family name: a prefix search on '' would list every patient.
  if (!family) return null;
  return { kind: 'name', family, ...(given ? { given } : {}), ...(dob ? { dateOfBirth: dob } : {}) };
}

function toIsoDate(s: string): string {
  if (s.includes('-')) return s;
  const [m, d, y] = s.split('/');
  return `${y}-${m!.padStart(2, '0')}-${d!.padStart(2, '0')}`;
}
