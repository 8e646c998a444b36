import { chainGenesis, expectedHash, GENESIS_HASH, LEGACY_CHAIN, type AuditRecord } from './audit.rules.js';

/**
 * What verification reports. An event: `edited` (its hash does not match its content), `missing` (positions of a
 * chain with no event), `out_of_order` (an authentic event that does not follow the one before it: reordered, moved
 * or duplicated), `anchor_mismatch` (a keyed chain does not start from its genesis: the legacy events, their head or
 * the trail id were changed). A chain: `truncated` (it ends before its head or a checkpoint), `head_mismatch` (the
 * head row does not match the event it names). A checkpoint: `checkpoint_mismatch` (a checkpointed event now has
 * another hash: rewritten, even with the key), `checkpoint_signature` (a checkpoint file whose signature fails).
 */
export const BreakKind = {
  edited: 'edited',
  missing: 'missing',
  outOfOrder: 'out_of_order',
  anchorMismatch: 'anchor_mismatch',
  truncated: 'truncated',
  headMismatch: 'head_mismatch',
  checkpointMismatch: 'checkpoint_mismatch',
  checkpointSignature: 'checkpoint_signature',
} as const;
export type BreakKind = (typeof BreakKind)[keyof typeof BreakKind];

/** One break: where (chain and position in it, and the event's seq when there is an event) and what. */
export interface ChainBreak {
  kind: BreakKind;
  chain: number | null;
  position: number | null;
  /** The global seq of the event concerned, null when there is none (missing events, a checkpoint file). */
  seq: number | null;
  message: string;
  /** The checkpoint file concerned, for checkpoint breaks. */
  checkpoint?: string;
}

/** A chain's head as its row records it: the position of its last event and that event's hash. */
export interface ChainHead {
  chainId: number;
  seq: number;
  hash: string;
}

/** One chain head named by a signed checkpoint. */
export interface CheckpointClaim extends ChainHead {
  file: string;
  createdAt: string;
}

/** At most this many breaks are listed; breakCount counts them all. */
export const MAX_LISTED_BREAKS = 1000;

interface ChainState {
  chainId: number;
  genesis: string;
  /** The next position expected. */
  expected: number;
  /** The stored hash of the event before the next one (resynchronised on every event). */
  prev: string;
  last: number;
  hashAtHead: string | null;
}

/**
 * Walks the events of every chain, each chain in position order (chain after chain), and collects every break,
 * resynchronising on each event (its stored hash becomes the next one's expected previous hash), so that one edit is
 * one break and a later edit is still found. Heads are read before the walk: events after a head were written while
 * the walk ran and are checked like the rest.
 */
export function createChainWalk(opts: { key: Buffer; trailId: string; heads: ChainHead[]; claims: CheckpointClaim[]; maxBreaks?: number }) {
  const max = opts.maxBreaks ?? MAX_LISTED_BREAKS;
  const heads = new Map(opts.heads.map((h) => [h.chainId, h]));
  const anchor = heads.get(LEGACY_CHAIN)?.hash ?? GENESIS_HASH;
  const claimsAt = new Map<string, CheckpointClaim[]>();
  for (const c of opts.claims) claimsAt.set(`${c.chainId}:${c.seq}`, [...(claimsAt.get(`${c.chainId}:${c.seq}`) ?? []), c]);
  const breaks: ChainBreak[] = [];
  let breakCount = 0;
  let checked = 0;
  const seen = new Set<number>();
  let cur: ChainState | null = null;
  const unanchored: number[] = [];

  const report = (b: ChainBreak) => {
    breakCount++;
    if (breaks.length < max) breaks.push(b);
  };
  const genesisOf = (chainId: number) => (chainId === LEGACY_CHAIN ? GENESIS_HASH : chainGenesis(opts.trailId, anchor, chainId));
  const start = (chainId: number): ChainState => {
    seen.add(chainId);
    const genesis = genesisOf(chainId);
    return { chainId, genesis, expected: 1, prev: genesis, last: 0, hashAtHead: null };
  };

  function push(r: AuditRecord): void {
    if (!cur || cur.chainId !== r.chainId) {
      if (cur) end(cur);
      cur = start(r.chainId);
    }
    const s = cur;
    checked++;
    const at = `chain ${r.chainId} position ${r.chainSeq}`;
    if (r.chainSeq > s.expected) {
      const range = r.chainSeq - 1 > s.expected ? `events ${s.expected}–${r.chainSeq - 1}` : `event ${s.expected}`;
      report({
        kind: BreakKind.missing,
        chain: r.chainId,
        position: s.expected,
        seq: null,
        message: `${range} of chain ${r.chainId} ${r.chainSeq - 1 > s.expected ? 'are' : 'is'} missing (deleted; the next present is event ${r.seq})`,
      });
    }
    if (expectedHash(opts.key, r) !== r.hash) {
      report({
        kind: BreakKind.edited,
        chain: r.chainId,
        position: r.chainSeq,
        seq: r.seq,
        message: `event ${r.seq} was altered (${at}: hash mismatch)`,
      });
    } else if (r.chainSeq < s.expected) {
      report({
        kind: BreakKind.outOfOrder,
        chain: r.chainId,
        position: r.chainSeq,
        seq: r.seq,
        message: `event ${r.seq} claims ${at}, which another event holds (duplicated or moved)`,
      });
    } else if (r.chainSeq === s.expected && r.prevHash !== s.prev) {
      if (r.chainSeq === 1 && r.chainId !== LEGACY_CHAIN) {
        report({
          kind: BreakKind.anchorMismatch,
          chain: r.chainId,
          position: 1,
          seq: r.seq,
          message: `chain ${r.chainId} does not start from its genesis: the legacy events, their head or the trail id were changed`,
        });
      } else {
        report({
          kind: BreakKind.outOfOrder,
          chain: r.chainId,
          position: r.chainSeq,
          seq: r.seq,
          message: `event ${r.seq} does not follow the event before it (${at}: previous-hash mismatch; reordered or moved)`,
        });
      }
    }
    for (const c of claimsAt.get(`${r.chainId}:${r.chainSeq}`) ?? []) {
      if (c.hash !== r.hash)
        report({
          kind: BreakKind.checkpointMismatch,
          chain: r.chainId,
          position: r.chainSeq,
          seq: r.seq,
          checkpoint: c.file,
          message: `event ${r.seq} (${at}) is not the event checkpoint ${c.file} of ${c.createdAt} signed: rewritten`,
        });
    }
    if (r.chainSeq === heads.get(r.chainId)?.seq) s.hashAtHead = r.hash;
    s.prev = r.hash;
    s.expected = Math.max(s.expected, r.chainSeq + 1);
    s.last = Math.max(s.last, r.chainSeq);
  }

  function end(s: ChainState): void {
    const head = heads.get(s.chainId);
    if (!head) {
      if (s.last > 0)
        report({
          kind: BreakKind.headMismatch,
          chain: s.chainId,
          position: null,
          seq: null,
          message: `chain ${s.chainId} has events but no head row`,
        });
    } else if (head.seq > s.last) {
      report({
        kind: BreakKind.truncated,
        chain: s.chainId,
        position: s.last + 1,
        seq: null,
        message: `chain ${s.chainId} ends at position ${s.last} but its head records ${head.seq}: events were removed from the end`,
      });
    } else if (head.seq === 0 && head.hash !== s.genesis) {
      unanchored.push(s.chainId);
    } else if (head.seq > 0 && s.hashAtHead !== null && s.hashAtHead !== head.hash) {
      report({
        kind: BreakKind.headMismatch,
        chain: s.chainId,
        position: head.seq,
        seq: null,
        message: `the head of chain ${s.chainId} does not match its event at position ${head.seq}`,
      });
    }
    for (const c of opts.claims) {
      if (c.chainId !== s.chainId) continue;
      if (c.seq > s.last) {
        report({
          kind: BreakKind.truncated,
          chain: s.chainId,
          position: s.last + 1,
          seq: null,
          checkpoint: c.file,
          message: `chain ${s.chainId} ends at position ${s.last} but checkpoint ${c.file} of ${c.createdAt} saw position ${c.seq}: events were removed from the end`,
        });
      } else if (c.seq === 0 && c.hash !== s.genesis) {
        report({
          kind: BreakKind.checkpointMismatch,
          chain: s.chainId,
          position: 0,
          seq: null,
          checkpoint: c.file,
          message: `chain ${s.chainId} no longer starts from the genesis checkpoint ${c.file} of ${c.createdAt} signed`,
        });
      }
    }
  }

  function finish(): { checked: number; chains: number; breaks: ChainBreak[]; breakCount: number } {
    if (cur) end(cur);
    cur = null;
    const rest = new Set([...heads.keys(), ...opts.claims.map((c) => c.chainId)].filter((id) => !seen.has(id)));
    for (const id of [...rest].sort((a, b) => a - b)) end(start(id));
    // Empty chains whose head is not their genesis: one cause (legacy head or trail id changed), one break.
    if (unanchored.length > 0) {
      const which = unanchored.length === 1 ? `chain ${unanchored[0]}` : `chains ${unanchored.join(', ')}`;
      report({
        kind: BreakKind.anchorMismatch,
        chain: unanchored[0]!,
        position: 0,
        seq: null,
        message: `the head of empty ${which} does not hold its genesis: the legacy events, their head or the trail id were changed`,
      });
    }
    return { checked, chains: seen.size, breaks, breakCount };
  }

  return { push, report, finish };
}
