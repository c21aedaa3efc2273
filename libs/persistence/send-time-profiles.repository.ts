import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { StoredSendTimeProfile } from '../domain/send-time-profile';
import { SEND_TIME_PROFILE_MODEL, SendTimeProfileDoc } from './send-time-profile.schema';

/** FerretDB v1 stalls on bulk writes of more than ~100 operations: one command per chunk. */
const WRITE_CHUNK = 100;

@Injectable()
export class SendTimeProfilesRepository {
  constructor(@InjectModel(SEND_TIME_PROFILE_MODEL) private readonly profiles: Model<SendTimeProfileDoc>) {}

  /** Replaces each user's profile by `_id` (the single writer is the optimizeSendTimes run). */
  async store(profiles: readonly { userId: string; profile: StoredSendTimeProfile }[]): Promise<void> {
    for (let i = 0; i < profiles.length; i += WRITE_CHUNK) {
      const ops = profiles.slice(i, i + WRITE_CHUNK).map(({ userId, profile }) => ({
        replaceOne: { filter: { _id: userId }, replacement: { _id: userId, ...profile }, upsert: true },
      }));
      await this.profiles.collection.bulkWrite(ops as never, { ordered: false });
    }
  }

  async find(userId: string): Promise<StoredSendTimeProfile | null> {
    const doc = await this.profiles.collection.findOne<SendTimeProfileDoc>({ _id: userId as never });
    if (!doc) return null;
    const { _id, ...profile } = doc;
    return profile;
  }

  /** Profiles stored (FerretDB counts by reading the collection: for tests and small checks). */
  async count(): Promise<number> {
    return this.profiles.collection.countDocuments();
  }
}
