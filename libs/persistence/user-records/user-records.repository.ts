import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import type { EventInput } from '../../domain/event';
import type { UserInput } from '../../domain/user';
import type { UserTimeline } from '../../domain/user-timeline';
import { GroupCommit } from '../group-commit';
import { InsertBatcher } from '../insert-batcher';
import { insertNew } from '../insert-new';
import { mergeRecords } from './merge-records';
import { decodeRecord, eventsRecord, mergedRecord, profileRecord, UserRecordDoc } from './user-record';
import { USER_RECORD_MODEL } from './user-record.schema';
import { SlotPartition, slotGroup, slotPartitions, SLOT_GROUPS, SLOTS_PER_GROUP } from '../../domain/user-slots';
import { eventLoopBreaks } from './event-loop-breaks';

export interface AppendResult {
  /** Events stored by this write (in records not stored before). */
  stored: number;
  /** Events in records an earlier identical write already stored (a retry, a re-import). */
  alreadyStored: number;
  /** Events given twice within this write (kept once). */
  repeated: number;
}

export interface SlotBatch {
  /** Every slot of the partition up to and including this one has been read (the next read resumes after it). */
  slot: number;
  users: UserTimeline[];
}

/** A record's events stay well below the 16 MB document limit of every store (events are at most 16 KB each). */
const RECORD_BYTES = 1_000_000;

/** A user's events of one write, cut into records of at most RECORD_BYTES of JSON. */
function recordSizedChunks(events: EventInput[]): EventInput[][] {
  const chunks: EventInput[][] = [[]];
  let bytes = 0;
  for (const e of events) {
    const size = JSON.stringify(e).length;
    if (bytes + size > RECORD_BYTES && chunks[chunks.length - 1].length > 0) {
      chunks.push([]);
      bytes = 0;
    }
    chunks[chunks.length - 1].push(e);
    bytes += size;
  }
  return chunks;
}

/** Writes of up to this many records share an insertMany with other callers' (the events API); larger ones (imports) go alone. */
const SHARED_WRITE_RECORDS = 16;

/** Records by the user they belong to. */
function groupByUser(docs: readonly UserRecordDoc[]): Map<string, UserRecordDoc[]> {
  const byUser = new Map<string, UserRecordDoc[]>();
  for (const d of docs) {
    const list = byUser.get(d.u);
    if (list) list.push(d);
    else byUser.set(d.u, [d]);
  }
  return byUser;
}

/** One read of a population pass: its filter, the last slot it covers, and a key naming it. */
interface PartitionRead {
  filter: object;
  lastSlot: number;
  key: string;
}

/** The reads of a partition from `fromSlot` on: the whole (small) population, slot groups or single slots. */
function partitionReads(partition: SlotPartition, fromSlot: number): PartitionRead[] {
  if (partition.read === 'whole') return [{ filter: {}, lastSlot: partition.toSlot - 1, key: `whole:${partition.fromSlot}-${partition.toSlot}` }];
  const reads: PartitionRead[] = [];
  const unit = partition.read === 'groups' ? SLOTS_PER_GROUP : 1;
  for (let slot = fromSlot; slot < partition.toSlot; slot += unit) {
    const g = slotGroup(slot);
    reads.push(partition.read === 'groups' ? { filter: { g }, lastSlot: slot + unit - 1, key: `g:${g}` } : { filter: { s: slot }, lastSlot: slot, key: `s:${slot}` });
  }
  return reads;
}

/** A user whose records reach this count when read gets them merged into one. */
const COMPACT_ON_READ = 8;
/** In a population pass, the (cheaper, batched) threshold. */
const COMPACT_ON_SCAN = 4;

/**
 * Users' events and profiles as insert-only records (see user-record.ts), merged on read. Writers
 * never read-modify-write: a write is one insert per user, so any number of writers may touch one
 * user at once (FerretDB makes no update atomic, but an insert under a unique _id is). Reads merge
 * the user's records and, once there are many, write one merged record and delete the ones it
 * replaces (safe to run concurrently: a record is deleted only after its content is in another).
 */
@Injectable()
export class UserRecordsRepository {
  /** Users' records by user id: the users asked for while a read is under way are read together. */
  private readonly byUser: GroupCommit<string, UserRecordDoc[]>;
  private readonly smallWrites: InsertBatcher<UserRecordDoc>;
  /** Population passes under way in this process, each with the last slot it has read. */
  private readonly passes = new Set<{ lastSlot: number }>();
  /** Their reads, by PartitionRead key, kept until every pass has gone past them. */
  private readonly sharedReads = new Map<string, { lastSlot: number; users: Promise<UserTimeline[]> }>();

  constructor(@InjectModel(USER_RECORD_MODEL) private readonly records: Model<UserRecordDoc>) {
    this.byUser = new GroupCommit(async (userIds) => {
      // One equality, or one `$in` (pushed down to the `u` index by the patched FerretDB, see scripts/).
      const filter = userIds.length === 1 ? { u: userIds[0] } : { u: { $in: [...new Set(userIds)] } };
      const grouped = groupByUser(await this.records.collection.find<UserRecordDoc>(filter).toArray());
      return userIds.map((u) => grouped.get(u) ?? []);
    }, 64);
    this.smallWrites = new InsertBatcher(records.collection);
  }

  /** Stores events, one record per user; an event id already stored by an identical write is not stored again. */
  async appendEvents(events: readonly EventInput[], at = new Date()): Promise<AppendResult> {
    const byUser = new Map<string, EventInput[]>();
    const seen = new Set<string>();
    let repeated = 0;
    for (const e of events) {
      if (seen.has(e.eventId)) {
        repeated++;
        continue;
      }
      seen.add(e.eventId);
      const list = byUser.get(e.userId);
      if (list) list.push(e);
      else byUser.set(e.userId, [e]);
    }
    const docs = [...byUser].flatMap(([userId, list]) => recordSizedChunks(list).map((chunk) => eventsRecord(userId, chunk, at)));
    const duplicateIds = docs.length <= SHARED_WRITE_RECORDS ? await this.smallWrites.insert(docs) : (await insertNew(this.records.collection, docs)).duplicateIds;
    let alreadyStored = 0;
    for (const d of docs) if (duplicateIds.has(d._id)) alreadyStored += d.n;
    return { stored: seen.size - alreadyStored, alreadyStored, repeated };
  }

  /** Stores profile changes, one record each; a field takes the value of its newest change. */
  async appendProfiles(inputs: readonly UserInput[], at = new Date()): Promise<number> {
    const docs = inputs.map(({ id, ...patch }) => profileRecord(id, patch, at));
    await insertNew(this.records.collection, docs);
    return docs.length;
  }

  /** Writes prepared records as they are (bulk loads: one record per user). */
  async insertRecords(docs: readonly UserRecordDoc[]): Promise<number> {
    return (await insertNew(this.records.collection, docs)).inserted;
  }

  /** One user, merged from their records; null when nothing was ever stored for them. */
  async read(userId: string): Promise<UserTimeline | null> {
    const docs = await this.byUser.submit(userId);
    if (docs.length === 0) return null;
    const merged = mergeRecords(userId, docs.map(decodeRecord));
    if (docs.length >= COMPACT_ON_READ) await this.compact(userId, docs, merged.body, merged.at);
    return merged.timeline;
  }

  /**
   * A population pass over one partition, yielding users merged group by group or slot by slot (one
   * equality read each; memory holds one read's users), or all at once when the partition is the
   * whole (small) population. `fromSlot` resumes a pass (the first slot of a group for group reads).
   * Users with many records are compacted on the way.
   */
  async *scan(partition: SlotPartition, fromSlot = partition.fromSlot): AsyncGenerator<SlotBatch> {
    for (const r of partitionReads(partition, fromSlot)) yield { slot: r.lastSlot, users: await this.readMerged(r.filter) };
  }

  /**
   * Every user, in batches, for passes that need the whole population in one activity (training
   * sets): partitions of at most `partitionUsers` are read one after another. Passes under way at the
   * same time in this process share their reads (four retrains started together read the records
   * once, not four times): a batch another pass has read or is reading is taken from it, and kept
   * until every pass under way has gone past it. The users yielded are shared: read them, never change them.
   */
  async *population(partitionUsers: number): AsyncGenerator<UserTimeline[]> {
    const pass = { lastSlot: -1 };
    this.passes.add(pass);
    try {
      for (const partition of slotPartitions(await this.estimatedUsers(), partitionUsers)) {
        for (const r of partitionReads(partition, partition.fromSlot)) {
          yield await this.sharedRead(r);
          pass.lastSlot = r.lastSlot;
          this.dropPassedReads();
        }
      }
    } finally {
      this.passes.delete(pass);
      this.dropPassedReads();
    }
  }

  /**
   * About the number of users, from the records of one slot group (1/64 of them, by an indexed
   * equality): FerretDB counts a whole collection by reading every document (10 s at 50k users).
   * Records are at least the users, so this errs high, which keeps partitions within their bound.
   */
  async estimatedUsers(): Promise<number> {
    return (await this.records.countDocuments({ g: 0 }).exec()) * SLOT_GROUPS;
  }

  private async readMerged(filter: object): Promise<UserTimeline[]> {
    return this.mergeByUser(await this.records.collection.find<UserRecordDoc>(filter, { batchSize: 1000 }).toArray());
  }

  /** A population pass's read, shared with the passes under way that make or made the same read. */
  private sharedRead(r: PartitionRead): Promise<UserTimeline[]> {
    let shared = this.sharedReads.get(r.key);
    if (!shared) {
      const entry = { lastSlot: r.lastSlot, users: this.readMerged(r.filter) };
      this.sharedReads.set(r.key, entry);
      // A failed read is not handed to later passes: they read again.
      entry.users.catch(() => this.sharedReads.get(r.key) === entry && this.sharedReads.delete(r.key));
      shared = entry;
    }
    return shared.users;
  }

  /** Drops the reads every pass under way has gone past (all of them once no pass is under way). */
  private dropPassedReads(): void {
    let behind = Infinity;
    for (const p of this.passes) behind = Math.min(behind, p.lastSlot);
    for (const [key, r] of this.sharedReads) if (r.lastSlot <= behind) this.sharedReads.delete(key);
  }

  private async mergeByUser(docs: UserRecordDoc[]): Promise<UserTimeline[]> {
    const users: UserTimeline[] = [];
    const pause = eventLoopBreaks();
    for (const [userId, list] of groupByUser(docs)) {
      const merged = mergeRecords(userId, list.map(decodeRecord));
      if (list.length >= COMPACT_ON_SCAN) await this.compact(userId, list, merged.body, merged.at);
      users.push(merged.timeline);
      await pause();
    }
    return users.sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
  }

  /** Writes the merged record first, then deletes what it replaces (by _id: the one filter always indexed). */
  private async compact(userId: string, docs: UserRecordDoc[], body: ReturnType<typeof mergeRecords>['body'], at: number): Promise<void> {
    const merged = mergedRecord(userId, body, new Date(at));
    await insertNew(this.records.collection, [merged]);
    const stale = docs.filter((d) => d._id !== merged._id);
    if (stale.length > 0) await this.records.collection.bulkWrite(stale.map((d) => ({ deleteOne: { filter: { _id: d._id } } })) as never, { ordered: false });
  }
}
