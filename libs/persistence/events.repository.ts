import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { MongoBulkWriteError } from 'mongodb';
import { Model } from 'mongoose';
import { EventInput } from '../domain/event';
import { EVENT_MODEL, EventDoc } from './event.schema';

const DUPLICATE_KEY = 11000;

export interface InsertResult {
  inserted: number;
  /** Events whose eventId was already stored: a retried request or a re-imported line. */
  duplicates: number;
}

@Injectable()
export class EventsRepository {
  constructor(@InjectModel(EVENT_MODEL) private readonly events: Model<EventDoc>) {}

  /**
   * Unordered insert keyed by eventId: every new event is stored even when some are duplicates,
   * and duplicates are counted, not stored twice. Input is already validated at the edge, so the
   * driver's insertMany is used directly rather than mongoose's per-document casting.
   */
  async insertMany(inputs: readonly EventInput[], receivedAt = new Date()): Promise<InsertResult> {
    if (inputs.length === 0) return { inserted: 0, duplicates: 0 };
    const docs: EventDoc[] = inputs.map((e) => {
      const doc: EventDoc = { _id: e.eventId, userId: e.userId, type: e.type, ts: e.ts, receivedAt };
      if (e.amount !== undefined) doc.amount = e.amount;
      if (e.properties !== undefined) doc.properties = e.properties;
      return doc;
    });
    try {
      const res = await this.events.collection.insertMany(docs as never[], { ordered: false });
      return { inserted: res.insertedCount, duplicates: 0 };
    } catch (err) {
      if (!(err instanceof MongoBulkWriteError)) throw err;
      const writeErrors = Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors];
      const other = writeErrors.find((w) => w.code !== DUPLICATE_KEY);
      if (other) throw err;
      return { inserted: docs.length - writeErrors.length, duplicates: writeErrors.length };
    }
  }

  recentForUser(userId: string, limit: number): Promise<EventDoc[]> {
    return this.events.find({ userId }).sort({ ts: -1 }).limit(limit).lean<EventDoc[]>().exec();
  }

  count(filter: { userId?: string; type?: string } = {}): Promise<number> {
    const query: Record<string, string> = {};
    if (filter.userId !== undefined) query.userId = filter.userId;
    if (filter.type !== undefined) query.type = filter.type;
    return this.events.countDocuments(query).exec();
  }
}
