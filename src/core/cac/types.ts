/**
 * Data model of computer-assisted coding: the knowledge it reads (phrase rules keyed by their words, combination
 * entries, history tables) and the suggestions it makes. Plain data (Maps, arrays) so built knowledge round-trips
 * through v8 serialization.
 */

import type { NeighbourIndex } from './neighbours.js';

export type CacSystem = 'cm' | 'pcs';

/** Where a phrase rule comes from: Alphabetic Index entry, tabular title, inclusion term, Neoplasm table, or learned from coded notes. */
export type RuleSource = 'index' | 'title' | 'inclusion' | 'neoplasm' | 'learned';

/** One phrase -> code rule. `weight` is the estimated chance the code is right when the phrase is read (0..1). */
export interface PhraseRule {
  code: string;
  system: CacSystem;
  source: RuleSource;
  /** The term as the source prints it ("Failure, heart, systolic, acute on chronic"). */
  term: string;
  weight: number;
  /** The code needs a 7th character (A/D/S) chosen from the note's words. */
  seventh?: boolean;
}

/** An Index entry under "with" (Guidelines I.A.15): the head condition's words, the condition's words, the combination code. */
export interface ComboRule {
  sub: string;
  code: string;
  term: string;
}

export interface CacKnowledge {
  formatVersion: number;
  /** What it was built from (code-set release ids, corpus file count), for the cache's freshness check and the README. */
  builtFrom: { codesets: string; corpus: string; trainDocuments: number };
  /** Phrase key (sorted unique stems, see `phraseKey`) -> rules. */
  phrases: Map<string, PhraseRule[]>;
  /** Longest phrase key in words, to bound the n-grams read. */
  maxWords: number;
  /** Head phrase key -> combination entries. */
  combos: Map<string, ComboRule[]>;
  /** Condition phrase key -> Z80-Z84 code ("History, family (of), X"). */
  familyHistory: Map<string, string>;
  /** Condition phrase key -> Z86-Z87 / Z85 code ("History, personal (of), X"). */
  personalHistory: Map<string, string>;
  /** Malignant neoplasm category (C00-C96) -> [family Z80 code, personal Z85 code] (Guidelines I.C.21.c.4). */
  cancerHistory: Map<string, [string | undefined, string | undefined]>;
  /** Code -> codes for right, left, bilateral (tabular laterality, Guidelines I.B.13). */
  laterality: Map<string, [string | undefined, string | undefined, string | undefined]>;
  /** How often each code is assigned in the training notes (documents with it / documents), a tie-breaker. */
  prior: Map<string, number>;
  /** Logistic ranking weights per system (see FEATURE_NAMES in rank.ts), fitted on coded notes; absent: noisy-or. */
  ranker?: Record<CacSystem, number[]>;
  /** The coded notes as word vectors with their codes, for the "similar notes" feature. */
  neighbours?: NeighbourIndex;
}

/** A span of the given text supporting a suggestion. */
export interface Evidence {
  start: number;
  end: number;
  text: string;
}

/** Why a code is suggested: the rule's source and term. */
export interface Reason {
  source: RuleSource | 'combination' | 'family-history' | 'personal-history';
  term: string;
}

export interface Suggestion {
  code: string;
  system: CacSystem;
  score: number;
  evidence: Evidence[];
  why: Reason[];
  /** The evidence was uncertain ("possible", "suspected"), coded as established (inpatient, Guidelines II.H). */
  uncertain?: boolean;
}

/** Inpatient: uncertain diagnoses coded as if established (Section II.H); outpatient: not (Section IV.H). */
export type CareSetting = 'inpatient' | 'outpatient';

export interface SuggestOptions {
  system?: CacSystem | 'both';
  limit?: number;
  setting?: CareSetting;
}
