import { slotChunks } from './slot-chunks';

async function* batches(sizes: number[], firstSlot = 0) {
  let n = 0;
  for (const [i, size] of sizes.entries()) yield { slot: firstSlot + i, users: Array.from({ length: size }, () => n++) };
}
const collect = async <T>(it: AsyncIterable<T>) => {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
};

describe('slotChunks', () => {
  it('cuts only between batches, once a chunk holds at least minUsers, and ends with the rest', async () => {
    const chunks = await collect(slotChunks(batches([3, 4, 0, 2, 5, 1, 1]), 6, 6));
    expect(chunks.map((c) => [c.users.length, c.nextSlot])).toEqual([[7, 2], [7, 5], [2, 7]]);
    expect(chunks.flatMap((c) => c.users)).toEqual(Array.from({ length: 16 }, (_, i) => i));
  });

  it('keeps a batch larger than minUsers whole (the whole-partition read)', async () => {
    const chunks = await collect(slotChunks(batches([0, 0, 100_000], 1021), 32_768, 1023));
    expect(chunks.map((c) => [c.users.length, c.nextSlot])).toEqual([[100_000, 1024]]);
  });

  it('yields the last slot even when it holds nobody, so the checkpoint reaches the end', async () => {
    const chunks = await collect(slotChunks(batches([2, 0, 0], 10), 5, 12));
    expect(chunks.map((c) => [c.users.length, c.nextSlot])).toEqual([[2, 13]]);
  });

  it('resumes from any chunk boundary with the same cuts after it', async () => {
    const all = await collect(slotChunks(batches([3, 4, 0, 2, 5, 1, 1]), 6, 6));
    const resumed = await collect(slotChunks(batches([2, 5, 1, 1], 3), 6, 6));
    expect(resumed.map((c) => [c.users.length, c.nextSlot])).toEqual(all.slice(1).map((c) => [c.users.length, c.nextSlot]));
  });
});
