import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { EventInput } from '../domain/event';
import { EVENT_MODEL, EventDoc } from './event.schema';
import { insertNew, InsertNewResult } from './insert-new';

@Injectable()
export class EventsRepository {
  constructor(@InjectModel(EVENT_MODEL) private readonly events: Model<EventDoc>) {}

  /** Stores new events; an eventId already stored is counted as a duplicate, never stored twice. */
  insertMany(inputs: readonly EventInput[], receivedAt = new Date()): Promise<InsertNewResult> {
    const docs: EventDoc[] = inputs.map((e) => {
      const doc: EventDoc = { _id: e.eventId, userId: e.userId, type: e.type, ts: e.ts, receivedAt };
      if (e.amount !== undefined) doc.amount = e.amount;
      if (e.properties !== undefined) doc.properties = e.properties;
      return doc;
    });
    return insertNew(this.events.collection, docs);
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
