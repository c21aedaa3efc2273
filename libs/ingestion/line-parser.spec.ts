import { importSpecSchema } from '../domain/import-spec';
import { IMPORT_PRESETS } from './import-presets';
import { LineParser } from './line-parser';

describe('LineParser', () => {
  it('reads a CDNOW row with the preset mapping', () => {
    const parser = new LineParser(IMPORT_PRESETS.cdnow);
    const r = parser.parse('00004   0001 19970101  2  29.33', 'f:1');
    expect(r).toEqual({
      ok: true,
      event: {
        eventId: 'f:1',
        userId: 'cdnow-0001',
        type: 'purchase',
        ts: new Date('1997-01-01T00:00:00Z'),
        amount: 29.33,
        properties: { cds: 2 },
      },
    });
  });

  it('says why a malformed row is refused', () => {
    const parser = new LineParser(IMPORT_PRESETS.cdnow);
    expect(parser.parse('00004 0001 19971301 2 29.33', 'x')).toEqual({ ok: false, reason: 'ts "19971301" is not a calendar date' });
    expect(parser.parse('00004 0001 19970101 2 abc', 'x')).toEqual({ ok: false, reason: 'amount "abc" is not a number' });
    expect(parser.parse('00004', 'x')).toEqual({ ok: false, reason: 'missing userId (column 1)' });
  });

  it('maps CSV columns by header name, with quoted fields', () => {
    const spec = importSpecSchema.parse({
      format: 'csv',
      columns: { userId: 'user', ts: 'when', type: 'kind', amount: 'value', properties: { note: 'note' } },
    });
    const parser = new LineParser(spec, 'user,when,kind,value,note');
    const r = parser.parse('u1,2024-05-01T10:00:00Z,purchase,12.5,"a, ""quoted"" note"', 'f:2');
    expect(r.ok && r.event).toMatchObject({ userId: 'u1', type: 'purchase', amount: 12.5, properties: { note: 'a, "quoted" note' } });
    expect(() => new LineParser(spec, 'user,when,kind')).toThrow('header has no column named "value", "note"');
  });

  it('reads NDJSON events and derives a missing eventId from the line', () => {
    const parser = new LineParser({ format: 'ndjson' });
    const r = parser.parse('{"userId":"u1","type":"session","ts":"2024-01-01T00:00:00Z"}', 'f:3');
    expect(r.ok && r.event.eventId).toBe('f:3');
    expect(parser.parse('{"userId":', 'f:4')).toEqual({ ok: false, reason: 'not valid JSON' });
    expect(parser.parse('{"userId":"u1","type":"purchase","ts":"2024-01-01"}', 'f:5')).toEqual({
      ok: false,
      reason: 'amount: required for purchase events',
    });
  });

  it('refuses a delimited spec with neither a type column nor an event type', () => {
    const r = importSpecSchema.safeParse({ format: 'csv', columns: { userId: 0, ts: 1 } });
    expect(r.success).toBe(false);
  });
});
