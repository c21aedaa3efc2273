import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { MongoServerError } from 'mongodb';
import { Model } from 'mongoose';
import { IdBatchReader } from './id-batch-reader';
import { InsertBatcher } from './insert-batcher';
import { SEND_LEDGER_CLAIM_MODEL, SEND_LEDGER_MODEL, SendLedgerClaimDoc, SendLedgerDoc, SendLedgerHintDoc } from './send-ledger.schema';

/** A pure change of one ledger: the next state (absent: no change, nothing written) and a result. */
export type LedgerTransition<S, R> = (state: S | undefined) => { state?: S; result: R };

export interface SendLedgerOptions {
  /** Longest a state read may be relied on before a version is written from it. */
  maxStalenessMs: number;
  /**
   * How long this process builds on its memory of a ledger's head. A write from memory is still
   * safe (a stale head makes the insert fail and the ledger is re-read); a result that writes
   * nothing (a refusal) stands only on a head read from the store after the change was asked for
   * (see transition), so it never misses a change another process finished before.
   */
  cacheTtlMs: number;
  /** How long peek trusts a head (a hint that saves work, never an answer). */
  freshMs: number;
  /** Age of a tombstone before the sweeper deletes it: far above maxStalenessMs (see sweep). */
  tombstoneAgeMs: number;
  cacheSize: number;
  /** Versions tried per batch before giving up (each failed try means another writer progressed). */
  maxAttempts: number;
}

export const DEFAULT_SEND_LEDGER_OPTIONS: SendLedgerOptions = {
  maxStalenessMs: 60_000,
  cacheTtlMs: 30_000,
  freshMs: 1_000,
  tombstoneAgeMs: 24 * 3_600_000,
  cacheSize: 200_000,
  maxAttempts: 2_000,
};

interface Head {
  /** Newest version (-1: the ledger has none yet). */
  v: number;
  state: unknown;
  /** When the version after `v` was last seen missing: `v` was the head then. */
  readAt: number;
}

interface PendingOp {
  apply: LedgerTransition<unknown, unknown>;
  /** A result that writes nothing needs a head read from the store at or after this time. */
  notBefore: number;
  resolve: (result: unknown) => void;
  reject: (err: unknown) => void;
}

const DUPLICATE_KEY = 11000;
const SWEEP_CHUNK = 1000;
/** Versions 0 and 1 are read with the hint anyway: no hint is written for them. */
const FIRST_HINTED_VERSION = 2;
const isDuplicateKey = (err: unknown) => err instanceof MongoServerError && err.code === DUPLICATE_KEY;
const versionId = (key: string, v: number) => `${key}#${v}`;
/** Never a version's id: those end in a number. */
const hintId = (key: string) => `${key}#head`;
const isTombstone = (d: Pick<SendLedgerDoc, 'swept'>) => d.swept !== undefined && d.swept !== null;
/** A version's state: stored as JSON text (versions written before that hold the object itself). */
const stateOf = (d: Pick<SendLedgerDoc, 's'>): unknown => (typeof d.s === 'string' ? JSON.parse(d.s) : d.s);

/**
 * Send ledgers as chains of immutable versions, on the one write FerretDB v1 makes atomic: an
 * insert under a unique `_id`. A change reads the newest version v, applies a pure transition and
 * inserts version v + 1; of all writers that read v, exactly one inserts v + 1 and the others get
 * E11000, re-read and re-apply. So every version derives from the one before it, and a check made
 * in a transition (a cap) holds in the version it writes, whatever the number of processes.
 *
 * Within one process, concurrent changes of the same ledger are applied together and written as
 * one version (group commit): 64 callers on one hot ledger cost one round trip, not 64 conflicts.
 * Across ledgers, the versions and reads of concurrent changes share round trips too (one
 * insertMany, one `_id: { $in }` read per collection in flight).
 *
 * Sweeping (see sweep) turns superseded versions into tombstones and deletes old tombstones; its
 * deletion rule and the staleness bound keep a deleted version from ever being written again.
 */
@Injectable()
export class SendLedgerRepository {
  readonly stats = { reads: 0, inserts: 0, conflicts: 0 };
  private options: SendLedgerOptions = DEFAULT_SEND_LEDGER_OPTIONS;
  private readonly cache = new Map<string, Head>();
  private readonly queues = new Map<string, PendingOp[]>();
  private readonly hintWrites = new Set<Promise<unknown>>();
  /** Versions and hints, read together. */
  private readonly docs: IdBatchReader<SendLedgerDoc | SendLedgerHintDoc>;
  /** Inserts the versions of many ledgers at once. */
  private readonly inserts: InsertBatcher<SendLedgerDoc>;

  constructor(
    @InjectModel(SEND_LEDGER_MODEL) private readonly ledger: Model<SendLedgerDoc>,
    @InjectModel(SEND_LEDGER_CLAIM_MODEL) private readonly claims: Model<SendLedgerClaimDoc>,
  ) {
    this.docs = new IdBatchReader(ledger.collection);
    this.inserts = new InsertBatcher(ledger.collection);
  }

  configure(options: Partial<SendLedgerOptions>): this {
    this.options = { ...this.options, ...options };
    return this;
  }

  /**
   * Applies a change atomically and returns its result (a transition may run more than once). A
   * result that writes nothing is based on a head read from the store at or after `notBefore`
   * (default: now), so it reflects every change finished before the caller asked; a caller that
   * prefetched the head for this change passes the time it started.
   */
  transition<S, R>(key: string, apply: LedgerTransition<S, R>, notBefore = Date.now()): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const op = { apply, notBefore, resolve, reject } as PendingOp;
      const queue = this.queues.get(key);
      if (queue) queue.push(op);
      else {
        this.queues.set(key, [op]);
        void this.drain(key);
      }
    });
  }

  /**
   * Reads a ledger's head into memory ahead of a transition (e.g. while other facts load). Always
   * checked against the store, even when this process wrote the head a moment ago: another process
   * may have changed it since (a release), and a refusal settles on what this read saw.
   */
  async prefetch(key: string): Promise<void> {
    await this.head(key, true);
  }

  /**
   * This process's memory of a ledger's state when seen within freshMs (e.g. just prefetched), else
   * null. For a check that avoids work; never a basis for a write (transition re-reads as needed).
   */
  peek<S>(key: string): { state: S | undefined } | null {
    const cached = this.cache.get(key);
    return cached && Date.now() - cached.readAt < this.options.freshMs ? { state: cached.state as S | undefined } : null;
  }

  /** The newest state of a ledger (undefined: none yet). */
  async state<S>(key: string): Promise<S | undefined> {
    return (await this.head(key, true)).state as S | undefined;
  }

  /** True the first time an id is claimed, false ever after (until swept): a once-only guard. */
  async claimOnce(id: string): Promise<boolean> {
    try {
      await this.claims.collection.insertOne({ _id: id as never, t: new Date() });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  /** Waits for the head hints still being written (before closing the connection). */
  async flush(): Promise<void> {
    await Promise.all([...this.hintWrites]);
  }

  /**
   * Clean-up, safe while writers run:
   * 1. Every version older than its ledger's newest becomes a tombstone (state dropped, `_id` kept,
   *    so the version can never be inserted again). The newest version never does.
   * 2. A tombstone is deleted once it is older than tombstoneAgeMs and so is every lower version of
   *    its ledger (or that version is gone); version 0 stays (its absence marks a new ledger).
   * Why no deleted version is ever written again: a writer inserts n + 1 only after reading n as a
   * live version less than maxStalenessMs earlier (or seeing n + 1 missing then). Deleting n + 1
   * needs n to have been a tombstone for tombstoneAgeMs already, so n was not live at that read.
   * The same rule means a live version followed by a missing one is always the newest (see head).
   * Hints are raised to each ledger's newest version on the way.
   */
  async sweep(now = Date.now()): Promise<{ tombstoned: number; deleted: number }> {
    const ledgers = new Map<string, { newest: number; live: number[]; tombstones: { v: number; old: boolean }[] }>();
    const cutoff = now - this.options.tombstoneAgeMs;
    const cursor = this.ledger.collection.find({}, { projection: { k: 1, v: 1, swept: 1 }, batchSize: 5000 });
    for await (const d of cursor) {
      const doc = d as unknown as Pick<SendLedgerDoc, 'k' | 'v' | 'swept'>;
      if (doc.k === undefined) continue; // a hint
      let l = ledgers.get(doc.k);
      if (!l) ledgers.set(doc.k, (l = { newest: -1, live: [], tombstones: [] }));
      l.newest = Math.max(l.newest, doc.v);
      if (isTombstone(doc)) l.tombstones.push({ v: doc.v, old: doc.swept!.getTime() < cutoff });
      else l.live.push(doc.v);
    }
    const superseded: string[] = [];
    const deletable: string[] = [];
    for (const [k, l] of ledgers) {
      for (const v of l.live) if (v < l.newest) superseded.push(versionId(k, v));
      // Below the lowest version that is live or a young tombstone, every version is old or gone.
      const floor = Math.min(...l.live, ...l.tombstones.filter((t) => !t.old).map((t) => t.v));
      for (const t of l.tombstones) if (t.old && t.v > 0 && t.v < floor) deletable.push(versionId(k, t.v));
    }
    const swept = new Date(now);
    // One command per chunk: FerretDB v1 stalls on bulk writes of more than ~100 operations.
    for (let i = 0; i < superseded.length; i += SWEEP_CHUNK) {
      const ids = superseded.slice(i, i + SWEEP_CHUNK);
      await this.ledger.collection.updateMany({ _id: { $in: ids } as never }, { $set: { s: null, swept } });
    }
    for (let i = 0; i < deletable.length; i += SWEEP_CHUNK) {
      await this.ledger.collection.deleteMany({ _id: { $in: deletable.slice(i, i + SWEEP_CHUNK) } as never });
    }
    for (const [k, l] of ledgers) this.raiseHint(k, l.newest);
    await this.claims.collection.deleteMany({ t: { $lt: new Date(cutoff) } });
    await this.flush();
    return { tombstoned: superseded.length, deleted: deletable.length };
  }

  private async drain(key: string): Promise<void> {
    for (;;) {
      const batch = this.queues.get(key)!;
      if (batch.length === 0) {
        this.queues.delete(key);
        return;
      }
      this.queues.set(key, []);
      try {
        await this.commit(key, batch);
      } catch (err) {
        for (const op of batch) op.reject(err);
      }
    }
  }

  /** Applies a batch in order on the newest state and writes the result as the next version. */
  private async commit(key: string, batch: PendingOp[]): Promise<void> {
    let verify = false;
    for (let attempt = 0; attempt < this.options.maxAttempts; attempt++) {
      const head = await this.head(key, verify);
      let state = head.state;
      let changed = false;
      const outcomes = batch.map((op) => {
        try {
          const out = op.apply(state);
          if (out.state !== undefined) {
            state = out.state;
            changed = true;
          }
          return { ok: true as const, result: out.result };
        } catch (err) {
          return { ok: false as const, err };
        }
      });
      const settle = () => batch.forEach((op, i) => { const o = outcomes[i]; if (o.ok) op.resolve(o.result); else op.reject(o.err); });
      const age = Date.now() - head.readAt;
      if (!changed) {
        // Nothing to write: the answer stands on a head read after every change was asked for, else look again.
        if (verify || batch.every((op) => head.readAt >= op.notBefore)) return settle();
        verify = true;
        continue;
      }
      if (age > this.options.maxStalenessMs) {
        this.cache.delete(key);
        continue;
      }
      const v = head.v + 1;
      // When the insert starts, v + 1 cannot exist yet (it needs v): the head is known from then on.
      const writtenFrom = Date.now();
      // The state as text: FerretDB converts a nested document field by field (a version cost 2.3x as much to insert).
      const version: SendLedgerDoc = { _id: versionId(key, v), k: key, v, s: JSON.stringify(state), t: new Date() };
      if ((await this.inserts.insert([version])).size > 0) {
        // Another writer took version v: read the store, past it.
        this.stats.conflicts++;
        verify = true;
        continue;
      }
      this.stats.inserts++;
      this.remember(key, { v, state, readAt: writtenFrom });
      if (v >= FIRST_HINTED_VERSION) this.raiseHint(key, v);
      return settle();
    }
    throw new Error(`send ledger ${key}: no version written in ${this.options.maxAttempts} attempts`);
  }

  /**
   * The newest version: from this process's memory when recent enough (unless `verify`, which
   * checks that the next version is still missing), else from the store: the hint with versions 0
   * and 1 in one round trip, then forward until the next version is missing. Only a live version
   * followed by a missing one is a head (sweep never makes the newest version a tombstone, nor
   * deletes a version above a live one); anything else (a hint behind deleted tombstones) falls back
   * to a search by key.
   */
  private async head(key: string, verify: boolean): Promise<Head> {
    const cached = this.cache.get(key);
    if (cached && Date.now() - cached.readAt < this.options.cacheTtlMs) {
      if (!verify) return cached;
      const readAt = Date.now();
      const next = await this.read(key, cached.v + 1);
      if (!next) return this.remember(key, { ...cached, readAt });
      return this.walk(key, next);
    }
    const readAt = Date.now();
    const [hint, v0, v1] = await Promise.all([this.docs.findById(hintId(key)) as Promise<SendLedgerHintDoc | null>, this.read(key, 0), this.read(key, 1)]);
    this.stats.reads++;
    const h = hint?.h ?? 0;
    if (h <= 1 && !v1) {
      // Version 0 is never deleted: without it the ledger is new.
      if (!v0) return this.remember(key, { v: -1, state: undefined, readAt });
      if (!isTombstone(v0)) return this.remember(key, { v: 0, state: stateOf(v0), readAt });
    }
    if (h <= 1 && v1) return this.walk(key, v1);
    const [doc, next] = await Promise.all([this.read(key, h), this.read(key, h + 1)]);
    if (next) return this.walk(key, next);
    if (!doc || isTombstone(doc)) return this.search(key);
    return this.remember(key, { v: doc.v, state: stateOf(doc), readAt });
  }

  private async walk(key: string, from: SendLedgerDoc): Promise<Head> {
    let doc = from;
    for (;;) {
      const readAt = Date.now();
      const next = await this.read(key, doc.v + 1);
      if (!next) {
        if (isTombstone(doc)) return this.search(key);
        return this.remember(key, { v: doc.v, state: stateOf(doc), readAt });
      }
      doc = next;
    }
  }

  /** The slow path (a hint that lags behind deleted tombstones): every version of the ledger. */
  private async search(key: string): Promise<Head> {
    const readAt = Date.now();
    const docs = await this.ledger.collection.find({ k: key }, { projection: { v: 1, s: 1, swept: 1 } }).toArray();
    this.stats.reads++;
    if (docs.length === 0) return this.remember(key, { v: -1, state: undefined, readAt });
    const newest = docs.reduce((a, b) => (b.v > a.v ? b : a)) as unknown as SendLedgerDoc;
    if (isTombstone(newest)) throw new Error(`send ledger ${key}: newest version ${newest.v} is a tombstone`);
    return this.remember(key, { v: newest.v, state: stateOf(newest), readAt });
  }

  private async read(key: string, v: number): Promise<SendLedgerDoc | null> {
    this.stats.reads++;
    return this.docs.findById(versionId(key, v)) as Promise<SendLedgerDoc | null>;
  }

  private remember(key: string, head: Head): Head {
    this.cache.delete(key);
    this.cache.set(key, head);
    if (this.cache.size > this.options.cacheSize) this.cache.delete(this.cache.keys().next().value!);
    return head;
  }

  /** Raises the hint without waiting: it may lag (concurrent $max updates can be lost), never mislead. */
  private raiseHint(key: string, v: number): void {
    const write = this.ledger.collection
      .updateOne({ _id: hintId(key) as never }, { $max: { h: v } }, { upsert: true })
      .catch(() => undefined) // a lost or refused hint only costs a reader a few extra reads
      .finally(() => this.hintWrites.delete(write));
    this.hintWrites.add(write);
  }
}
