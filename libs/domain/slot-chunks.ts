/**
 * Regroups the slot batches of a partition's scan into chunks of at least `minUsers` users made of
 * whole batches (the last chunk may hold fewer), each with the slot to resume at once it is done. A
 * checkpoint taken after a chunk therefore falls on a slot boundary, and a resumed attempt reads again
 * exactly the users whose results were not counted yet (splitting a batch between two chunks would
 * leave a checkpoint that either skips users or counts them twice).
 */
export async function* slotChunks<U>(batches: AsyncIterable<{ slot: number; users: U[] }>, minUsers: number, lastSlot: number): AsyncGenerator<{ users: U[]; nextSlot: number }> {
  let users: U[] = [];
  for await (const batch of batches) {
    // A loop, not push(...): a whole-partition batch can hold more users than a call takes arguments.
    for (const u of batch.users) users.push(u);
    if (users.length >= minUsers || batch.slot >= lastSlot) {
      yield { users, nextSlot: batch.slot + 1 };
      users = [];
    }
  }
}
