/** Release of information: authorizations (45 CFR 164.508, 42 CFR 2.31), requests, clocks, disclosures. */
export * from './roi.authorization.rules.js';
export * from './roi.requests.rules.js';
export * from './roi.clock.rules.js';
