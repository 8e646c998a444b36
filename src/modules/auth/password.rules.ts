import { createRequire } from 'node:module';

/**
 * The password policy, after NIST SP 800-63B-4 section 3.1.1.2 (rev. 4, 2025): length, not composition rules;
 * a blocklist of common and breached passwords and context-specific words; Unicode accepted and normalised (NFKC)
 * before it is checked and hashed; no truncation, no hints, no periodic change. Messages never quote the password.
 */

/**
 * Rev. 4: at least 15 characters for a password used as a single factor. Only administrators must have a second
 * factor here, so for every other role the password is the single factor.
 */
export const PASSWORD_MIN_LENGTH = 15;
/** Rev. 4 asks for at least 64; 256 keeps passphrases whole. Longer ones are refused, never truncated. */
export const PASSWORD_MAX_LENGTH = 256;
/** A password must keep at least this many letters of its own once the context words are taken out. */
export const OWN_LETTERS_MIN = 4;

/**
 * Context-specific words (rev. 4: "the name of the service") besides the user's own names: the product and the
 * words of the service it is.
 */
export const SERVICE_WORDS = [
  'custodian',
  'hospital',
  'healthcare',
  'health',
  'medical',
  'record',
  'patient',
  'hipaa',
  'admin',
  'login',
] as const;

/**
 * The form a password is checked and hashed in: Unicode NFKC (rev. 4 3.1.1.2: "SHOULD apply ... NFKC or NFKD"),
 * so that the same password typed on keyboards that compose accents differently is one password.
 */
export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

export interface PasswordContext {
  username: string;
  displayName?: string | null | undefined;
}

const require = createRequire(import.meta.url);
let blocklist: Set<string> | undefined;
/**
 * The 49,000 most common passwords of @zxcvbn-ts/language-common (lower case; from breach corpora), loaded on
 * first use so that importing the rules costs nothing.
 */
function commonPasswords(): Set<string> {
  if (!blocklist) {
    const pkg = require('@zxcvbn-ts/language-common') as { dictionary: { 'passwords-common': string[] } };
    blocklist = new Set(pkg.dictionary['passwords-common']);
  }
  return blocklist;
}

const leet: Record<string, string> = {
  '@': 'a',
  '4': 'a',
  '8': 'b',
  '3': 'e',
  '6': 'g',
  '1': 'i',
  '!': 'i',
  '0': 'o',
  $: 's',
  '5': 's',
  '7': 't',
  '+': 't',
};
const unleet = (s: string, one: 'i' | 'l') => s.replace(/[@483610!$57+]/g, (c) => (c === '1' ? one : leet[c]!));
/** Without digits, punctuation and spaces at either end ("!!Password123" -> "password"). */
const core = (s: string) => s.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
/** Without spaces and punctuation ("pass word" -> "password"). */
const compact = (s: string) => s.replace(/[^\p{L}\p{N}]/gu, '');

/** The shortest unit `s` is a repetition of (at least twice), or null. */
function repeatedUnit(s: string): string | null {
  for (let len = 1; len <= s.length / 2; len++) {
    if (s.length % len === 0 && s.slice(0, len).repeat(s.length / len) === s) return s.slice(0, len);
  }
  return null;
}

/** Each character one after (or before) the last: abcdef, 987654, 1234567890 (9 then 0 counts as a step). */
function isSequential(s: string): boolean {
  if (s.length < 4) return false;
  const step = (a: string, b: string) => (a === '9' && b === '0' ? 1 : a === '0' && b === '9' ? -1 : b.codePointAt(0)! - a.codePointAt(0)!);
  const first = step(s[0]!, s[1]!);
  if (first !== 1 && first !== -1) return false;
  for (let i = 2; i < s.length; i++) if (step(s[i - 1]!, s[i]!) !== first) return false;
  return true;
}

/** Why a lower-case, normalised password is easy to guess, or null. */
function guessable(lower: string): string | null {
  const common = commonPasswords();
  const c = core(lower);
  const variants = [lower, compact(lower), c, compact(c), unleet(c, 'i'), unleet(c, 'l'), compact(unleet(c, 'i')), compact(unleet(c, 'l'))];
  if (variants.some((v) => v !== '' && common.has(v))) return 'password: this is a commonly used password';
  for (const v of [compact(lower), ...variants.slice(3)]) {
    const unit = repeatedUnit(v);
    if (unit !== null && (unit.length <= 4 || common.has(unit)))
      return 'password: repeated characters or words (like aaaa or abcabc) are easy to guess';
  }
  if (isSequential(compact(lower))) return 'password: a run of characters (like abcd or 1234) is easy to guess';
  return null;
}

/** The context words of a user: the username and the parts of the display name (3+ letters), and SERVICE_WORDS. */
export function contextWords(context: PasswordContext): string[] {
  const own = [context.username, ...(context.displayName ?? '').split(/[^\p{L}\p{N}]+/u)].map((w) =>
    normalizePassword(w.trim()).toLowerCase(),
  );
  return [...new Set([...own, ...SERVICE_WORDS])].filter((w) => w.length >= 3).sort((a, b) => b.length - a.length);
}

/** Leet spelling read as the letters it stands for, in capitals so they are not counted as the user's own letters. */
const leetAsCapitals = (lower: string, one: 'i' | 'l') =>
  lower.replace(/[@483610!$57+]/g, (c) => (c === '1' ? one : leet[c]!).toUpperCase());
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The letters of its own left in a lower-case password (or its leetAsCapitals form) once every context word is
 * taken out; letters that stand for leet digits or symbols are not its own.
 */
function ownLetters(s: string, words: string[]): number {
  let rest = s;
  for (const w of words) rest = rest.replace(new RegExp(escapeRegExp(w), 'giu'), ' ');
  return rest.replace(/\p{Lu}/gu, '').replace(/[^\p{L}]/gu, '').length;
}

/**
 * The problem with a new password, or null when it is acceptable. Refused: fewer than 15 or more than 256
 * characters (after NFKC); a common or breached password, also with digits or punctuation around it, in leet
 * spelling, or repeated; a run or repetition of characters; one containing the username (3+ characters); one made
 * mostly of context words (fewer than four letters of its own once the username, the display name's parts and
 * the service words are taken out: "Custodian2026!" is refused, a passphrase that names the product is not).
 */
export function passwordProblem(password: string, context: PasswordContext): string | null {
  const normalized = normalizePassword(password);
  // eslint-disable-next-line @typescript-eslint/no-misused-spread -- the length is counted in code points (NIST SP 800-63B 3.1.1.2)
  const length = [...normalized].length;
  if (length < PASSWORD_MIN_LENGTH) return `password: at least ${PASSWORD_MIN_LENGTH} characters`;
  if (length > PASSWORD_MAX_LENGTH) return `password: at most ${PASSWORD_MAX_LENGTH} characters`;
  const lower = normalized.toLowerCase();
  const username = normalizePassword(context.username.trim()).toLowerCase();
  if (username.length >= 3 && lower.includes(username)) return 'password: must not contain the username';
  const why = guessable(lower);
  if (why) return why;
  const words = contextWords(context);
  if (
    Math.min(ownLetters(lower, words), ownLetters(leetAsCapitals(lower, 'i'), words), ownLetters(leetAsCapitals(lower, 'l'), words)) <
    OWN_LETTERS_MIN
  ) {
    return 'password: made mostly of your username, your name or the name of this service; add words of your own';
  }
  return null;
}
