import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { AnyBulkWriteOperation, Model } from 'mongoose';
import { UserInput } from '../domain/user';
import { BoundedIdSet } from './bounded-id-set';
import { insertNew } from './insert-new';
import { USER_MODEL, UserDoc } from './user.schema';

const KNOWN_USERS_CAPACITY = 500_000;

@Injectable()
export class UsersRepository {
  /** Ids known to be stored (profiles are never deleted through ingestion). */
  private readonly known = new BoundedIdSet(KNOWN_USERS_CAPACITY);

  constructor(@InjectModel(USER_MODEL) private readonly users: Model<UserDoc>) {}

  /** Creates or updates profiles; fields absent from the input keep their stored value. */
  async upsertMany(inputs: readonly UserInput[], now = new Date()): Promise<{ created: number; updated: number }> {
    if (inputs.length === 0) return { created: 0, updated: 0 };
    const ops: AnyBulkWriteOperation<UserDoc>[] = inputs.map((u) => {
      const set: Record<string, unknown> = { updatedAt: now };
      if (u.email !== undefined) set.email = u.email;
      if (u.timezone !== undefined) set.timezone = u.timezone;
      if (u.subscription !== undefined) set['subscription.email'] = u.subscription.email;
      // Attributes merge key by key, as in Braze: sending one attribute never erases the others.
      for (const [k, v] of Object.entries(u.attributes ?? {})) set[`attributes.${k}`] = v;
      const setOnInsert: Record<string, unknown> = { createdAt: u.createdAt ?? now };
      if (u.subscription === undefined) setOnInsert['subscription.email'] = 'subscribed';
      if (u.attributes === undefined) setOnInsert.attributes = {};
      return { updateOne: { filter: { _id: u.id }, update: { $set: set, $setOnInsert: setOnInsert }, upsert: true } };
    });
    const res = await this.users.collection.bulkWrite(ops as never, { ordered: false });
    return { created: res.upsertedCount, updated: res.matchedCount };
  }

  /**
   * Makes sure a profile exists for each id (events may arrive before profiles). Ids this process
   * has already seen stored are skipped: in bulk ingestion the same users come back batch after
   * batch, and re-checking them costs a rejected insert (which FerretDB retries one document at a time).
   */
  async ensureExist(userIds: readonly string[], now = new Date()): Promise<number> {
    const unseen = [...new Set(userIds)].filter((id) => !this.known.has(id));
    if (unseen.length === 0) return 0;
    const docs = unseen.map((id) => ({ _id: id, attributes: {}, subscription: { email: 'subscribed' }, createdAt: now, updatedAt: now }));
    const { inserted } = await insertNew(this.users.collection, docs);
    this.known.addAll(unseen);
    return inserted;
  }

  findById(id: string): Promise<UserDoc | null> {
    return this.users.findById(id).lean<UserDoc>().exec();
  }

  count(): Promise<number> {
    return this.users.estimatedDocumentCount().exec();
  }
}
