/**
 * Safe Harbor free text, one table per identifier kind of 45 CFR 164.514(b)(2)(i)(A)-(R): written examples with
 * the exact text that must come out (identifiers tagged, every other character kept).
 */
import { describe, expect, it } from 'vitest';
import { buildDeidLexicon } from './lexicon.js';
import { deidentifyText } from './text.rules.js';

const lexicon = buildDeidLexicon();
const deid = (text: string): string => deidentifyText(text, lexicon).text;

const cases: Record<string, [string, string][]> = {
  '(A) names, patients and clinicians': [
    ['Patient: OYEBANJI, TEMITOPE  Unit 4', 'Patient: [NAME], [NAME]  Unit 4'],
    ['Mrs. Abernathy-Kowal was seen by Dr. Ngozi Eluwa.', 'Mrs. [NAME] was seen by Dr. [NAME].'],
    ['Electronically signed by Priyanka Venugopal, MD', 'Electronically signed by [NAME], MD'],
    ['Her daughter Marisol called; spoke with Tomasz Wrobel, RN.', 'Her daughter [NAME] called; spoke with [NAME], RN.'],
    ['cc: Ines Fabbri; Otto Lindgren', 'cc: [NAME]; [NAME]'],
    ['Mr. Quaye is stable. Quaye asks about discharge.', 'Mr. [NAME] is stable. [NAME] asks about discharge.'],
    ['Seen with Jennifer Smith today.', 'Seen with [NAME] today.'],
  ],
  'eponyms and clinical words stay': [
    ["Parkinson's disease, Cushing syndrome, Foley catheter, Apgar 9.", "Parkinson's disease, Cushing syndrome, Foley catheter, Apgar 9."],
    [
      'Wilson disease was excluded; Graves disease treated; Holter monitor placed.',
      'Wilson disease was excluded; Graves disease treated; Holter monitor placed.',
    ],
    ['Mr. Foley has Crohn disease.', 'Mr. [NAME] has Crohn disease.'],
    ['Will follow up. May resume diet. Grace period noted.', 'Will follow up. May resume diet. Grace period noted.'],
  ],
  '(B) addresses, cities, counties': [
    ['Lives at 2210 W. Birchwood Ave., Apt 3C, Fremont, CA 94538.', 'Lives at [ADDRESS], [ADDRESS], CA [ZIP].'],
    ['P.O. Box 318, Laramie, WY 82070', '[ADDRESS], [ADDRESS], WY [ZIP]'],
    ['She resides in Ypsilanti with her sister.', 'She resides in [ADDRESS] with her sister.'],
    ['Transferred from Marin County jail.', 'Transferred from [ADDRESS] jail.'],
  ],
  '(B) ZIP codes, whole': [
    ['ZIP: 60614', 'ZIP: [ZIP]'],
    ['mailing zip code 10027-5521', 'mailing zip code [ZIP]'],
    ['Springfield, Illinois 62704', '[ADDRESS], Illinois [ZIP]'],
  ],
  '(C) dates in many forms; a year alone stays': [
    ['Admitted 3/14/2021, discharged 03/18/21.', 'Admitted [DATE], discharged [DATE].'],
    ['Surgery on 2019-11-02 and 14 March 2020.', 'Surgery on [DATE] and [DATE].'],
    ['Seen Sept. 3, 2018; again on the 5th of June.', 'Seen [DATE]; again on the [DATE].'],
    ['Visit 07-Feb-2022, labs 07FEB2022, note 20220207.', 'Visit [DATE], labs [DATE], note [DATE].'],
    ['Onset in August 2015 and 04/2016; relapse mid-October.', 'Onset in [DATE] and [DATE]; relapse mid-[DATE].'],
    ['Diagnosed in 2011. Smoked for 20 years.', 'Diagnosed in 2011. Smoked for 20 years.'],
    ['DOB: 7/4', 'DOB: [DATE]'],
  ],
  '(C) ages over 89, wherever they stand': [
    ['AGE: 93', 'AGE: [AGE]'],
    ['A 93-year-old man, aged 95 by spring, 101 y/o aunt.', 'A [AGE]-year-old man, aged [AGE] by spring, [AGE] y/o aunt.'],
    ['She is 92 yo and her brother is 104 years old.', 'She is [AGE] yo and her brother is [AGE] years old.'],
    ['A 45-year-old, age 89, temperature 99 F, weight 95 kg.', 'A 45-year-old, age 89, temperature 99 F, weight 95 kg.'],
  ],
  '(D) phone and (E) fax': [
    ['Call (312) 555-0148 or 312.555.0199 ext. 22.', 'Call [PHONE] or [PHONE].'],
    ['Tel +44 20 7946 0958; call back at 555-0123.', 'Tel [PHONE]; call back at [PHONE].'],
    ['Fax: 773-555-0110', 'Fax: [FAX]'],
    ['Phone 1-800-555-0100, fax (800) 555-0101', 'Phone [PHONE], fax [FAX]'],
  ],
  '(F) e-mail, (N) URL, (O) IP': [
    ['Write to k.oduya+clinic@mail.example.org.', 'Write to [EMAIL].'],
    ['See https://portal.example.com/chart?id=7 and www.example.net.', 'See [URL] and [URL].'],
    ['From 10.20.30.40 and 2001:db8::8a2e:370:7334.', 'From [IP] and [IP].'],
  ],
  '(G) SSN': [
    ['SSN 078-05-1120', 'SSN [SSN]'],
    ['Social Security Number: 078051120', 'Social Security Number: [SSN]'],
  ],
  '(H) MRN, (I) health plan, (J) account': [
    ['MRN: 00422871', 'MRN: [MRN]'],
    ['Medical record number E2231987 on file.', 'Medical record number [MRN] on file.'],
    ['Member ID: QWE902211345; Medicaid # 55120934B', 'Member ID: [HEALTHPLAN]; Medicaid # [HEALTHPLAN]'],
    ['Acct #: 771230045', 'Acct #: [ACCOUNT]'],
  ],
  '(K) licences, (L) vehicles, (M) devices': [
    ["Driver's license D5521370", "Driver's license [LICENSE]"],
    ['DEA # BK4402117', 'DEA # [LICENSE]'],
    ['Car VIN 1FTFW1ET5DFC10312, license plate 4XYZ729.', 'Car VIN [VEHICLE], license plate [VEHICLE].'],
    ['Pacemaker serial number PJN604723 checked.', 'Pacemaker serial number [DEVICE] checked.'],
  ],
  '(P) biometric, (Q) photographs, (R) other numbers': [
    ['Fingerprint ID: FP-220931', 'Fingerprint ID: [BIOMETRIC]'],
    ['Photo of the wound: IMG_4410.jpg', 'Photo of the wound: [PHOTO]'],
    ['Study ID: STU-44810; specimen S22-019331', 'Study ID: [ID]; specimen [ID]'],
    ['Ref 98123441230', 'Ref [ID]'],
  ],
  'clinical text without identifiers is unchanged': [
    [
      'BP 132/84, HR 88, Hb 11.2 g/dL, platelets 210,000. Continue metoprolol 25 mg BID. CT chest: no PE.',
      'BP 132/84, HR 88, Hb 11.2 g/dL, platelets 210,000. Continue metoprolol 25 mg BID. CT chest: no PE.',
    ],
  ],
};

describe('deidentifyText (Safe Harbor, 45 CFR 164.514(b)(2))', () => {
  for (const [kind, rows] of Object.entries(cases))
    describe(kind, () => {
      it.each(rows)('%s', (input, expected) => {
        expect(deid(input)).toBe(expected);
      });
    });

  it('keeps every character outside the tags, including line breaks and non-ASCII text', () => {
    const text = 'Résumé of visit —\r\n\tPatient: Zoë Ångström\r\nNo acute distress; señora comfortable.\n';
    expect(deid(text)).toBe('Résumé of visit —\r\n\tPatient: [NAME]\r\nNo acute distress; señora comfortable.\n');
  });

  it('learns names from the lists it is given', () => {
    const withList = buildDeidLexicon(['Oyelowo']);
    expect(deidentifyText('Oyelowo reports less pain.', withList).text).toBe('[NAME] reports less pain.');
    expect(deid('Oyelowo reports less pain.')).toBe('Oyelowo reports less pain.');
  });

  it('leaves the categories it is told to keep (a limited data set keeps dates)', () => {
    const r = deidentifyText('Mr. Abara seen 3/4/2021, age 93.', lexicon, { keep: new Set(['DATE', 'AGE']) });
    expect(r.text).toBe('Mr. [NAME] seen 3/4/2021, age 93.');
  });
});
