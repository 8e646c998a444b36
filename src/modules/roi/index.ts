/** Release of information: authorizations (45 CFR 164.508, 42 CFR 2.31), requests, clocks, disclosures. */
export * from './roi.authorization.rules.js';
