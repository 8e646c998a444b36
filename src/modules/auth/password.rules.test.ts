import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../demo/index.js';
import { TEST_PASSWORD } from '../../../test/support/sessions.js';
import { contextWords, normalizePassword, passwordProblem } from './password.rules.js';

const jdoe = { username: 'jdoe', displayName: 'Jordan Doe, RHIT' };
const common = 'password: this is a commonly used password';
const repeated = 'password: repeated characters or words (like aaaa or abcabc) are easy to guess';
const run = 'password: a run of characters (like abcd or 1234) is easy to guess';
const context = 'password: made mostly of your username, your name or the name of this service; add words of your own';

describe('password policy (NIST SP 800-63B-4 3.1.1.2)', () => {
  it.each([
    ['too short', 'fourteen chars', 'password: at least 15 characters'],
    ['too short after NFKC', 'ﬁﬁﬁﬁﬁﬁﬁ', 'password: at least 15 characters'],
    ['too long', 'x'.repeat(257), 'password: at most 256 characters'],
    ['a common password', 'passwordpassword', common],
    ['a common password in capitals', 'PASSWORDPASSWORD', common],
    ['a common password with digits and punctuation around it', '!!Password12345!', common],
    ['a common password with spaces in it', 'pass word pass word', common],
    ['a common password in leet spelling', 'P@ssw0rd-2026-!!', common],
    ['a common long password', '1qaz2wsx3edc4rfv', common],
    ['a common password repeated', 'letmeinletmeinletmein', repeated],
    ['a short unit repeated', 'abcabcabcabcabc', repeated],
    ['one character repeated', 'aaaaaaaaaaaaaaaa', repeated],
    ['a run of digits', '123456789012345', run],
    ['a run of letters', 'abcdefghijklmnop', run],
    ['the username', 'my-jdoe-passphrase-1', 'password: must not contain the username'],
    ['the username in capitals', 'MY-JDOE-PASSPHRASE-1', 'password: must not contain the username'],
    ['the product name and digits', 'Custodian2026!!!!', context],
    ['the product name in leet spelling and digits', 'Cust0d1an-2026-2027', context],
    ['service words and digits', 'HospitalHealth-2026', context],
    ['the display name parts and digits', 'Jordan-Doe-RHIT-1990', context],
  ])('refuses %s', (_, password, why) => {
    expect(passwordProblem(password, jdoe)).toBe(why);
  });

  it.each([
    ['a passphrase', 'correct horse battery staple'],
    ['no composition rules: lower-case letters only', 'lamplightersquid'],
    ['spaces and Unicode', 'Zoë läuft über 7 Brücken'],
    ['a passphrase that names the product', 'my custodian coffee mug is blue'],
    ['a short username is not looked for', 'ab-long-passphrase-ab'],
    ['256 characters', 'ab'.repeat(64) + 'cd'.repeat(64)],
  ])('accepts %s', (_, password) => {
    expect(passwordProblem(password, { username: 'ab', displayName: 'Avery Brooks' })).toBeNull();
  });

  it('accepts the demo and test passwords for every demo user', () => {
    for (const u of [
      { username: 'admin', displayName: 'Avery Admin' },
      { username: 'director', displayName: 'Dana Director, RHIA' },
      { username: 'coder', displayName: 'Casey Coder, CCS' },
    ]) {
      expect(passwordProblem(DEMO_PASSWORD, u), u.username).toBeNull();
      expect(passwordProblem(TEST_PASSWORD, u), u.username).toBeNull();
    }
  });

  it('never quotes the password in its message', () => {
    for (const p of ['passwordpassword', 'Custodian2026!!!!', 'my-jdoe-passphrase-1', 'short'])
      expect(passwordProblem(p, jdoe)).not.toContain(p.toLowerCase());
  });

  it('normalises to NFKC: composed and decomposed accents are one password', () => {
    expect(normalizePassword('Cafe\u0301 au lait')).toBe(normalizePassword('Caf\u00e9 au lait'));
    expect(normalizePassword('ﬁ')).toBe('fi');
  });

  it('takes the username, the parts of the display name and the service words as context words, longest first', () => {
    expect(contextWords(jdoe)).toEqual(expect.arrayContaining(['jdoe', 'jordan', 'doe', 'rhit', 'custodian']));
    const words = contextWords(jdoe);
    expect(words.indexOf('healthcare')).toBeLessThan(words.indexOf('health'));
  });
});
