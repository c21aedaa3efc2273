import { EventInput, eventInputSchema } from '../domain/event';
import { DelimitedSpec, ImportSpec } from '../domain/import-spec';

export type LineResult = { ok: true; event: EventInput } | { ok: false; reason: string };

function splitFields(line: string, delimiter: DelimitedSpec['delimiter']): string[] {
  if (delimiter === 'whitespace') return line.trim().split(/\s+/);
  // Quoted fields ("a,b" and "" escapes) as RFC 4180 writes them.
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') (cur += '"'), i++;
      else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"' && cur === '') quoted = true;
    else if (c === delimiter) out.push(cur), (cur = '');
    else cur += c;
  }
  out.push(cur);
  return out;
}

function parseTimestamp(raw: string, format: DelimitedSpec['timestampFormat']): Date | string | { error: string } {
  switch (format) {
    case 'yyyymmdd': {
      const m = /^(\d{4})(\d{2})(\d{2})$/.exec(raw);
      if (!m) return { error: `ts "${raw}" is not YYYYMMDD` };
      const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
      return d.getUTCMonth() === +m[2] - 1 ? d : { error: `ts "${raw}" is not a calendar date` };
    }
    case 'epoch_ms':
    case 'epoch_s': {
      const n = Number(raw);
      if (raw === '' || !Number.isFinite(n)) return { error: `ts "${raw}" is not a number` };
      return new Date(format === 'epoch_s' ? n * 1000 : n);
    }
    case 'iso':
      // Judged by the same rule as the API's (an ISO-8601 date, or date-time with its zone).
      return raw;
    default:
      throw new Error(`unknown timestamp format ${String(format satisfies never)}`);
  }
}

function scalar(raw: string): string | number {
  const n = Number(raw);
  return raw !== '' && Number.isFinite(n) ? n : raw;
}

/**
 * Parses one line into a validated event, or says why not. Pure: `defaultEventId` is supplied by
 * the caller (file hash + line number) so the same line always yields the same eventId.
 */
export class LineParser {
  private readonly index: Map<string, number> | undefined;

  constructor(
    private readonly spec: ImportSpec,
    headerLine?: string,
  ) {
    if (spec.format === 'csv' && spec.header) {
      if (headerLine === undefined) throw new Error('a header line is required by this import spec');
      this.index = new Map(splitFields(headerLine, spec.delimiter).map((name, i) => [name.trim(), i]));
      const missing = this.referencedNames().filter((n) => !this.index!.has(n));
      if (missing.length) throw new Error(`header has no column named ${missing.map((m) => `"${m}"`).join(', ')}`);
    }
  }

  parse(line: string, defaultEventId: string): LineResult {
    let candidate: unknown;
    if (this.spec.format === 'ndjson') {
      try {
        candidate = JSON.parse(line);
      } catch {
        return { ok: false, reason: 'not valid JSON' };
      }
      if (candidate && typeof candidate === 'object' && !('eventId' in candidate)) {
        candidate = { ...candidate, eventId: defaultEventId };
      }
    } else {
      const built = this.fromFields(this.spec, splitFields(line, this.spec.delimiter), defaultEventId);
      if (typeof built === 'string') return { ok: false, reason: built };
      candidate = built;
    }
    const parsed = eventInputSchema.safeParse(candidate);
    if (parsed.success) return { ok: true, event: parsed.data };
    return { ok: false, reason: parsed.error.issues.map((i) => `${i.path.join('.') || 'line'}: ${i.message}`).join('; ') };
  }

  private fromFields(spec: DelimitedSpec, fields: string[], defaultEventId: string): Record<string, unknown> | string {
    const get = (ref: string | number): string | undefined => {
      const i = typeof ref === 'number' ? ref : this.index!.get(ref)!;
      return fields[i]?.trim();
    };
    const { columns } = spec;
    const userId = get(columns.userId);
    const tsRaw = get(columns.ts);
    if (!userId) return `missing userId (column ${columns.userId})`;
    if (tsRaw === undefined) return `missing ts (column ${columns.ts})`;
    const ts = parseTimestamp(tsRaw, spec.timestampFormat);
    if (typeof ts === 'object' && !(ts instanceof Date)) return ts.error;
    const event: Record<string, unknown> = {
      eventId: columns.eventId !== undefined ? get(columns.eventId) : defaultEventId,
      userId: spec.userIdPrefix + userId,
      type: columns.type !== undefined ? get(columns.type) : spec.eventType,
      ts,
    };
    // An empty amount cell means "no amount" (sessions in a mixed file); purchases still need one.
    const rawAmount = columns.amount !== undefined ? get(columns.amount) : undefined;
    if (rawAmount) {
      const amount = Number(rawAmount);
      if (!Number.isFinite(amount)) return `amount "${rawAmount}" is not a number`;
      event.amount = amount;
    }
    if (columns.properties) {
      const props: Record<string, string | number> = {};
      for (const [name, ref] of Object.entries(columns.properties)) {
        const raw = get(ref);
        if (raw !== undefined) props[name] = scalar(raw);
      }
      event.properties = props;
    }
    return event;
  }

  private referencedNames(): string[] {
    if (this.spec.format !== 'csv') return [];
    const { properties, ...rest } = this.spec.columns;
    return [...Object.values(rest), ...Object.values(properties ?? {})].filter((r): r is string => typeof r === 'string');
  }
}
