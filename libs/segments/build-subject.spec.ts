import { buildSubject, percentileFromCutPoints } from './build-subject';
import { compileSegment } from './compile-segment';
import { dependencies } from './dependencies';
import { inControlGroup } from './control-group';
import { SEGMENT_EXAMPLES } from './segment-examples';

const DAY = 86_400_000;
const now = Date.UTC(2025, 5, 1);

describe('buildSubject', () => {
  it('summarises events over the windows the segment reads and computes the control group flag', () => {
    const definition = SEGMENT_EXAMPLES.repeatBuyers;
    const assignment = { enabled: true, percentage: 15, salt: 's', from: new Date(0), to: null };
    const userId = Array.from({ length: 100 }, (_, i) => `u${i}`).find((id) => inControlGroup(id, assignment))!;
    const subject = buildSubject({
      userId,
      now,
      events: [
        { type: 'purchase', ts: now - 10 * DAY, amount: 5 },
        { type: 'purchase', ts: now - 80 * DAY, amount: 5 },
      ],
      windowsDays: dependencies(definition).eventWindowsDays,
      controlGroup: assignment,
    });
    expect(subject.events!.windowsDays).toEqual([90]);
    expect(subject.inControlGroup).toBe(true);
    expect(subject.profile).toBeUndefined();
    expect(compileSegment(definition)(subject)).toBe(true);
    expect(buildSubject({ userId, now, controlGroup: null }).inControlGroup).toBe(false);
    expect(buildSubject({ userId, now }).inControlGroup).toBeUndefined();
  });
});

describe('percentileFromCutPoints', () => {
  // A score set of 1,000 users with probabilities 0.000, 0.001, ... 0.999, cut as the snapshot does.
  const sorted = Array.from({ length: 1000 }, (_, i) => i / 1000);
  const cutPoints = Array.from({ length: 101 }, (_, k) => sorted[Math.min(sorted.length - 1, Math.floor((k * sorted.length) / 100))]);

  it('places a probability among the cut points, 0 for the lowest, 99 for the highest', () => {
    expect(percentileFromCutPoints(cutPoints, 0)).toBe(0);
    expect(percentileFromCutPoints(cutPoints, 0.5)).toBe(49);
    expect(percentileFromCutPoints(cutPoints, 0.905)).toBe(90);
    expect(percentileFromCutPoints(cutPoints, 0.999)).toBe(99);
  });

  it('agrees with counting the cut points below (the API user-score formula)', () => {
    for (const p of [0, 0.0005, 0.1, 0.33, 0.901, 0.95, 0.999, 1]) {
      expect(percentileFromCutPoints(cutPoints, p)).toBe(Math.max(0, cutPoints.filter((q) => q < p).length - 1));
    }
  });
});
