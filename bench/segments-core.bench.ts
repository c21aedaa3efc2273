/**
 * The pure segment steps at 1M users (not a test: timings vary with the machine): evaluating a
 * score segment, the control group flag, and diffing two member sets. Usage:
 *   node -r @swc-node/register bench/segments-core.bench.ts [members] [churn share]
 * (default 1000000 0.005). Prints each step's median CPU time of 5 runs, with a reference beside the
 * diff: a Set-based diff, what one writes first.
 */
import { SegmentSubject } from '../libs/domain/segment-subject';
import { compileSegment } from '../libs/segments/compile-segment';
import { inControlGroup } from '../libs/segments/control-group';
import { diffPacked, memberBucket, packMembers } from '../libs/segments/member-buckets';
import { diffSortedMembers, sortedMembers } from '../libs/segments/membership-diff';
import { murmur3 } from '../libs/segments/stable-hash';

const members = Number(process.argv[2] ?? 1_000_000);
const churn = Number(process.argv[3] ?? 0.005);
const BUCKETS = 64;

// UUID-like ids in no particular order, as a scan returns them.
const id = (i: number) => `${murmur3(`a${i}`).toString(16).padStart(8, '0')}-${murmur3(`b${i}`).toString(16).padStart(8, '0')}-${i}`;
const changed = Math.round(members * churn);
const previous = Array.from({ length: members }, (_, i) => id(i));
// `changed` members leave and as many newcomers enter.
const next = [...previous.slice(changed), ...Array.from({ length: changed }, (_, i) => id(members + i))];

/** Median CPU time (user + system) of 5 runs: on a shared machine, wall time measures the neighbours. */
function median(fn: () => unknown): number {
  const times: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t = process.cpuUsage();
    fn();
    const d = process.cpuUsage(t);
    times.push((d.user + d.system) / 1000);
  }
  return times.sort((a, b) => a - b)[2];
}

function setDiff(prev: readonly string[], nxt: readonly string[]) {
  const p = new Set(prev);
  const n = new Set(nxt);
  return { entered: nxt.filter((x) => !p.has(x)), left: prev.filter((x) => !n.has(x)) };
}

const sortedPrev = sortedMembers(previous);
const sortedNext = sortedMembers(next);
const packedPrev = packMembers(previous, BUCKETS);
const packedNext = packMembers(next, BUCKETS);
// A change confined to one bucket (e.g. the users of one rescored partition).
const oneBucket = previous.filter((x) => memberBucket(x, BUCKETS) === 0).slice(0, 10);
const packedOne = packMembers(previous.filter((x) => !oneBucket.includes(x)), BUCKETS);

const check = diffSortedMembers(sortedPrev, sortedNext);
if (check.entered.length !== changed || check.left.length !== changed) throw new Error('diff is wrong');

// Subjects as the rescore stream has them: one score, nothing else loaded.
const subjects: SegmentSubject[] = previous.map((userId, i) => {
  const probability = (i % 1000) / 1000;
  return { userId, now: 0, scores: { p1: { score: Math.round(100 * probability), probability, category: probability >= 0.75 ? 'High' : probability >= 0.5 ? 'Medium' : 'Low' } } };
});
const scoreSegment = compileSegment({ type: 'and', conditions: [{ type: 'predictionScore', predictionId: 'p1', min: 70, max: 100 }, { type: 'predictionCategory', predictionId: 'p1', categories: ['High'] }] });
const assignment = { enabled: true, percentage: 10, salt: 'bench', from: new Date(0), to: null };

const rows: [string, number, string][] = [
  ['evaluate a score segment (2 conditions) on every subject', median(() => subjects.filter(scoreSegment).length), ''],
  ['control group flag of every id (10%)', median(() => previous.filter((x) => inControlGroup(x, assignment)).length), ''],
  ['sort + dedupe 1 list (sortedMembers)', median(() => sortedMembers(previous)), ''],
  ['diff of 2 sorted lists (merge)', median(() => diffSortedMembers(sortedPrev, sortedNext)), `reference, Set-based diff: ${median(() => setDiff(previous, next)).toFixed(0)} ms`],
  [`pack 1 list into ${BUCKETS} buckets (sort + digest)`, median(() => packMembers(previous, BUCKETS)), ''],
  [`diff packed, churn in all ${BUCKETS} buckets`, median(() => diffPacked(packedPrev, packedNext)), ''],
  ['diff packed, 10 users of 1 bucket left', median(() => diffPacked(packedPrev, packedOne)), ''],
];
const largest = Math.max(...packedPrev.map((b) => JSON.stringify(b).length));

console.log(`\n${members.toLocaleString('en')} members, ${changed.toLocaleString('en')} left and ${changed.toLocaleString('en')} entered (node ${process.version})\n`);
console.log('| step | CPU ms, median of 5 | beside it |');
console.log('|---|---:|---|');
for (const [step, ms, note] of rows) console.log(`| ${step} | ${ms.toFixed(0)} | ${note} |`);
console.log(`\nlargest bucket document: ${(largest / 1024).toFixed(0)} KiB (of 16 MiB); the whole list as JSON: ${(JSON.stringify(sortedPrev).length / 1048576).toFixed(1)} MiB`);
