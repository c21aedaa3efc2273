import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { insertNew } from './insert-new';
import { TRAINING_SET_MODEL, TrainingSetChunkDoc } from './training-set.schema';

const CHUNK_ROWS = 5000;

export interface StoredTrainingSet<H> {
  header: H;
  /** Column-major, feature j of row i at j*n + i. */
  X: Float32Array;
  y: Uint8Array;
  n: number;
  p: number;
}

@Injectable()
export class TrainingSetsRepository {
  constructor(@InjectModel(TRAINING_SET_MODEL) private readonly chunks: Model<TrainingSetChunkDoc>) {}

  /** Idempotent: chunk ids are deterministic, a retried activity writes nothing twice. */
  async save(retrainId: string, header: Record<string, unknown>, X: Float32Array, y: Uint8Array, n: number, p: number): Promise<void> {
    const createdAt = new Date();
    const docs: TrainingSetChunkDoc[] = [{ _id: `${retrainId}#-1`, retrainId, k: -1, n, p, header, createdAt }];
    for (let k = 0, from = 0; from < n; k++, from += CHUNK_ROWS) {
      const m = Math.min(CHUNK_ROWS, n - from);
      const x = new Float32Array(m * p);
      for (let j = 0; j < p; j++) x.set(X.subarray(j * n + from, j * n + from + m), j * m);
      docs.push({ _id: `${retrainId}#${k}`, retrainId, k, n: m, p, x: Buffer.from(x.buffer), y: Buffer.from(y.subarray(from, from + m)), createdAt });
    }
    for (let i = 0; i < docs.length; i += 20) await insertNew(this.chunks.collection, docs.slice(i, i + 20));
  }

  async load<H>(retrainId: string): Promise<StoredTrainingSet<H> | null> {
    const docs = await this.chunks.collection.find({ retrainId }).toArray();
    const head = docs.find((d) => d.k === -1);
    if (!head) return null;
    const { n, p } = head;
    const X = new Float32Array(n * p);
    const y = new Uint8Array(n);
    let from = 0;
    for (const d of docs.filter((c) => c.k >= 0).sort((a, b) => a.k - b.k)) {
      const bytes = (d.x as unknown as { buffer: Uint8Array }).buffer ?? (d.x as unknown as Uint8Array);
      const x = new Float32Array(new Uint8Array(bytes).buffer);
      for (let j = 0; j < p; j++) X.set(x.subarray(j * d.n, (j + 1) * d.n), j * n + from);
      y.set(new Uint8Array(((d.y as unknown as { buffer: Uint8Array }).buffer ?? d.y) as Uint8Array), from);
      from += d.n;
    }
    if (from !== n) throw new Error(`training set ${retrainId}: ${from} rows stored of ${n}`);
    return { header: head.header as H, X, y, n, p };
  }

  async delete(retrainId: string): Promise<void> {
    await this.chunks.deleteMany({ retrainId }).exec();
  }

  /**
   * Deletes every set saved before `before` (what retrains that crashed left: FerretDB v1 has no TTL
   * index) and returns their retrain ids. Reads ids and dates only of every chunk, headerless ones
   * included; the collection holds just the sets of retrains in flight.
   */
  async deleteSavedBefore(before: Date): Promise<string[]> {
    const chunks = await this.chunks.collection.find({}, { projection: { retrainId: 1, createdAt: 1 } }).toArray();
    const old = [...new Set(chunks.filter((c) => c.createdAt < before).map((c) => c.retrainId))].sort();
    for (const retrainId of old) await this.delete(retrainId);
    return old;
  }
}
