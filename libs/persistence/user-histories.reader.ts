import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { HistoryEvent, UserHistory } from '../domain/event';
import { EVENT_MODEL, EventDoc } from './event.schema';
import { USER_MODEL, UserDoc } from './user.schema';

export interface UserKeyRange {
  /** Inclusive lower bound of userId ('' = from the start). */
  from: string;
  /** Exclusive upper bound (null = to the end). */
  to: string | null;
}

export interface LoadedHistory extends UserHistory {
  emailSubscribed: boolean;
}

/**
 * Users with their full event history for a userId key range, read with ONE streamed query per
 * collection (on MongoDB the {userId, ts} index serves the range; FerretDB v1 scans the collection
 * once per call whatever the filter, so callers keep the number of calls small). Everything is held
 * in memory: fine for tens of thousands of users per range (about 100 bytes per event).
 */
@Injectable()
export class UserHistoriesReader {
  constructor(
    @InjectModel(USER_MODEL) private readonly users: Model<UserDoc>,
    @InjectModel(EVENT_MODEL) private readonly events: Model<EventDoc>,
  ) {}

  async load(range: UserKeyRange, onProgress?: (docs: number) => void): Promise<LoadedHistory[]> {
    const idFilter = (field: string) => {
      const f: Record<string, string> = {};
      if (range.from) f.$gte = range.from;
      if (range.to !== null) f.$lt = range.to;
      return Object.keys(f).length ? { [field]: f } : {};
    };
    const byId = new Map<string, LoadedHistory>();
    let docs = 0;
    for await (const u of this.users.collection.find(idFilter('_id'), { batchSize: 5000 })) {
      const d = u as unknown as UserDoc;
      byId.set(d._id, {
        userId: d._id,
        timezone: d.timezone,
        createdAt: d.createdAt ? new Date(d.createdAt).getTime() : undefined,
        attributes: d.attributes ?? {},
        events: [],
        emailSubscribed: d.subscription?.email !== 'unsubscribed',
      });
      if (++docs % 5000 === 0) onProgress?.(docs);
    }
    const cursor = this.events.collection.find(idFilter('userId'), { projection: { _id: 0, userId: 1, type: 1, ts: 1, amount: 1 }, batchSize: 5000 });
    for await (const e of cursor) {
      const h = byId.get(e.userId as string);
      if (h) {
        const ev: HistoryEvent = { type: e.type as string, ts: (e.ts as Date).getTime() };
        if (typeof e.amount === 'number') ev.amount = e.amount;
        h.events.push(ev);
      }
      if (++docs % 5000 === 0) onProgress?.(docs);
    }
    const out = [...byId.values()].sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
    for (const h of out) h.events.sort((a, b) => a.ts - b.ts);
    return out;
  }

  /** Every user id, sorted (one scan of users, ids only): to cut the user base into key ranges. */
  async allUserIds(): Promise<string[]> {
    const ids: string[] = [];
    for await (const u of this.users.collection.find({}, { projection: { _id: 1 }, batchSize: 10000 })) ids.push(u._id as unknown as string);
    return ids.sort();
  }
}
