/**
 * Structural checks of a received 837 (005010X222A1 / X223A2 / X224A2) on top of the envelope reader: the HL
 * hierarchy (2000A billing provider 20 > 2000B subscriber 22 > 2000C patient 23), the entity loops each level
 * requires and how often they may repeat, the order of segments inside an entity loop (NM1, N3, N4, DMG, REF,
 * PER), and the elements every 837 needs (NM101/NM102, CLM01/CLM02/CLM05). Each finding names its segment.
 *
 * This is the reading side, for 837s from elsewhere and the corpus; it is not the claim scrubber (issue 20),
 * which checks the full TR3 and code validity on the claims we build.
 */
import { components, el, type X12Delimiters, type X12Issue, type X12Segment, type X12TransactionSet } from './read-x12.js';

/** NM101 entity identifier codes used by the 5010 837P/837I/837D loops. */
const ENTITY_CODES = new Set([
  '40',
  '41',
  '45',
  '71',
  '72',
  '77',
  '82',
  '85',
  '87',
  'DK',
  'DN',
  'DQ',
  'IL',
  'P3',
  'PE',
  'PR',
  'PW',
  'QB',
  'QC',
  'TL',
  'ZZ',
]);
/** The order of segments inside an entity (NM1) loop. */
const ENTITY_ORDER = ['NM1', 'N3', 'N4', 'DMG', 'REF', 'PER'];
/** Segments that end an entity loop. */
const LOOP_STARTERS = new Set(['NM1', 'HL', 'SBR', 'PAT', 'CLM', 'LX', 'PRV', 'CUR', 'SE']);

const issue = (seg: X12Segment, message: string): X12Issue => ({
  segment: seg.n,
  id: seg.id,
  message: `segment ${seg.n} (${seg.id}): ${message}`,
});

interface HlNode {
  readonly seg: X12Segment;
  readonly id: string;
  readonly level: string;
  readonly segments: X12Segment[];
  children: number;
}

/** Required entity loops per HL level, before the claim: [NM101, loop name]. */
const REQUIRED: Record<string, readonly (readonly [string, string])[]> = {
  '20': [['85', '2010AA billing provider']],
  '22': [
    ['IL', '2010BA subscriber'],
    ['PR', '2010BB payer'],
  ],
  '23': [['QC', '2010CA patient']],
};
/** Entity loops that may occur at most once per HL level before the claim. */
const AT_MOST_ONCE = new Set(['85', '87', 'PE', 'IL', 'PR', 'QC']);
const PARENT_LEVEL: Record<string, string | undefined> = { '20': undefined, '22': '20', '23': '22' };

/** The structural problems of one 837 transaction set. */
export function check837Structure(tx: X12TransactionSet, d: X12Delimiters): X12Issue[] {
  const errors: X12Issue[] = [];
  // The loop and code rules are those of 5010; older (4010) 837s get the hierarchy and order checks only.
  const v5010 = tx.version.startsWith('005010');
  const nodes: HlNode[] = [];
  const byId = new Map<string, HlNode>();
  let current: HlNode | undefined;
  for (const seg of tx.segments) {
    if (seg.id === 'HL') {
      current = { seg, id: el(seg, 1), level: el(seg, 3), segments: [], children: 0 };
      checkHl(current, nodes, byId, errors);
      nodes.push(current);
      byId.set(current.id, current);
    } else if (current) current.segments.push(seg);
    checkElements(seg, d, v5010, errors);
  }
  if (nodes.length === 0) errors.push(issue(tx.st, 'the 837 has no HL (hierarchical level) loops'));
  for (const node of nodes) checkLevel(node, v5010, errors);
  return errors.sort((a, b) => a.segment - b.segment);
}

function checkHl(node: HlNode, nodes: readonly HlNode[], byId: Map<string, HlNode>, errors: X12Issue[]): void {
  const expected = String(nodes.length + 1);
  if (node.id !== expected) errors.push(issue(node.seg, `HL01 ${node.id} is out of sequence (expected ${expected})`));
  if (!(node.level in PARENT_LEVEL)) {
    errors.push(issue(node.seg, `HL03 "${node.level}" is not an 837 level (20 billing provider, 22 subscriber, 23 patient)`));
    return;
  }
  const parentId = el(node.seg, 2);
  const wanted = PARENT_LEVEL[node.level];
  if (wanted === undefined) {
    if (parentId !== '') errors.push(issue(node.seg, 'HL02 must be empty for a billing provider level (20)'));
    return;
  }
  const parent = byId.get(parentId);
  if (!parent) errors.push(issue(node.seg, `HL02 parent ${parentId || '(none)'} is not an earlier HL`));
  else if (parent.level !== wanted)
    errors.push(issue(node.seg, `a level ${node.level} HL must be under a level ${wanted} HL, not ${parent.level} (HL ${parent.id})`));
  else parent.children++;
}

function checkLevel(node: HlNode, v5010: boolean, errors: X12Issue[]): void {
  const claimAt = node.segments.findIndex((s) => s.id === 'CLM');
  const head = claimAt < 0 ? node.segments : node.segments.slice(0, claimAt);
  const entities = head.filter((s) => s.id === 'NM1');
  for (const [code, name] of v5010 ? (REQUIRED[node.level] ?? []) : []) {
    if (!entities.some((s) => el(s, 1) === code)) errors.push(issue(node.seg, `loop ${name} (NM1*${code}) is missing under HL ${node.id}`));
  }
  const seen = new Set<string>();
  for (const s of entities) {
    const code = el(s, 1);
    if (seen.has(code) && AT_MOST_ONCE.has(code)) errors.push(issue(s, `loop NM1*${code} repeats under HL ${node.id}; it may occur once`));
    seen.add(code);
  }
  const childFlag = el(node.seg, 4);
  if (childFlag === '1' && node.children === 0) errors.push(issue(node.seg, `HL04 says HL ${node.id} has children, none follows`));
  if (childFlag === '0' && node.children > 0)
    errors.push(issue(node.seg, `HL04 says HL ${node.id} has no children, ${node.children} follow`));
  if ((node.level === '23' || (node.level === '22' && node.children === 0)) && claimAt < 0) {
    errors.push(issue(node.seg, `loop 2300 claim (CLM) is missing under HL ${node.id}`));
  }
  checkEntityOrder(node.segments, errors);
  checkServiceLines(node.segments, errors);
  if (v5010) checkAddresses(entities, node.segments, errors);
}

const SERVICE = new Set(['SV1', 'SV2', 'SV3']);

/** Each claim (2300) has service lines, and each service line (2400) starts with LX. */
function checkServiceLines(segments: readonly X12Segment[], errors: X12Issue[]): void {
  let claim: X12Segment | undefined;
  let lines = 0;
  let inLine = false;
  const close = (): void => {
    if (claim && lines === 0) errors.push(issue(claim, 'the claim has no service line (loop 2400, LX)'));
  };
  for (const s of segments) {
    if (s.id === 'CLM') {
      close();
      [claim, lines, inLine] = [s, 0, false];
    } else if (s.id === 'LX' && claim) {
      [lines, inLine] = [lines + 1, true];
    } else if (SERVICE.has(s.id)) {
      if (!inLine) errors.push(issue(s, `${s.id} outside a service line: loop 2400 starts with LX`));
      inLine = false;
    }
  }
  close();
}

/** Loops whose address (N3 and N4) the 5010 837 requires: 2010AA billing provider, 2010AB pay-to address. */
const ADDRESS_REQUIRED = new Set(['85', '87']);

function checkAddresses(entities: readonly X12Segment[], segments: readonly X12Segment[], errors: X12Issue[]): void {
  for (const nm1 of entities) {
    if (!ADDRESS_REQUIRED.has(el(nm1, 1))) continue;
    const at = segments.indexOf(nm1);
    const rest = segments.slice(at + 1);
    const end = rest.findIndex((s) => LOOP_STARTERS.has(s.id));
    const loop = end < 0 ? rest : rest.slice(0, end);
    for (const id of ['N3', 'N4'])
      if (!loop.some((s) => s.id === id)) errors.push(issue(nm1, `loop NM1*${el(nm1, 1)} has no ${id} (address required)`));
  }
}

/** Inside an entity loop, NM1, N3, N4, DMG, REF, PER come in that order. */
function checkEntityOrder(segments: readonly X12Segment[], errors: X12Issue[]): void {
  let loop: X12Segment | undefined;
  let last: X12Segment | undefined;
  for (const s of segments) {
    if (s.id === 'NM1') {
      loop = s;
      last = s;
      continue;
    }
    if (LOOP_STARTERS.has(s.id)) {
      loop = undefined;
      continue;
    }
    const rank = ENTITY_ORDER.indexOf(s.id);
    if (!loop || !last || rank < 0) continue;
    if (rank < ENTITY_ORDER.indexOf(last.id)) {
      errors.push(
        issue(
          s,
          `${s.id} is out of order in loop NM1*${el(loop, 1)} (segment ${loop.n}): it must come before ${last.id} (segment ${last.n})`,
        ),
      );
    } else last = s;
  }
}

function checkElements(seg: X12Segment, d: X12Delimiters, v5010: boolean, errors: X12Issue[]): void {
  if (seg.id === 'NM1') {
    const code = el(seg, 1);
    if (code === '') errors.push(issue(seg, 'NM101 entity identifier code is required'));
    else if (v5010 && !ENTITY_CODES.has(code)) errors.push(issue(seg, `NM101 "${code}" is not an entity identifier code of the 837`));
    const type = el(seg, 2);
    if (type === '') errors.push(issue(seg, 'NM102 entity type qualifier is required (1 person, 2 non-person)'));
    else if (type !== '1' && type !== '2') errors.push(issue(seg, `NM102 "${type}" is not 1 (person) or 2 (non-person entity)`));
  } else if (seg.id === 'CLM') {
    if (el(seg, 1) === '') errors.push(issue(seg, 'CLM01 patient control number is required'));
    if (el(seg, 2) === '' || !Number.isFinite(Number(el(seg, 2)))) errors.push(issue(seg, 'CLM02 total claim charge is required'));
    if (components(seg, 5, d).length === 0) errors.push(issue(seg, 'CLM05 place of service / type of bill is required'));
  }
}
