import { MIN_OVERLAP_PARTITION_USERS, rescorePartitionUsers } from './rescore-partition-size';
import { slotPartitions } from './user-slots';

describe('rescorePartitionUsers', () => {
  it('cuts a population that fits one partition into one per parallel slot', () => {
    expect(rescorePartitionUsers(50_000, 50_000, 2)).toBe(25_000);
    expect(slotPartitions(50_000, rescorePartitionUsers(50_000, 50_000, 2))).toHaveLength(2);
  });

  it('keeps the bound when the population already needs more partitions than run at once', () => {
    expect(rescorePartitionUsers(1_000_000, 50_000, 2)).toBe(50_000);
    expect(rescorePartitionUsers(52_357, 50_000, 2)).toBe(26_179);
  });

  it('leaves a small population in one partition read whole', () => {
    const small = 2 * MIN_OVERLAP_PARTITION_USERS - 2;
    expect(rescorePartitionUsers(small, 50_000, 2)).toBe(50_000);
    expect(slotPartitions(small, rescorePartitionUsers(small, 50_000, 2))).toEqual([expect.objectContaining({ read: 'whole' })]);
  });

  it('never raises a smaller bound given by the caller', () => {
    expect(rescorePartitionUsers(20_000, 5_000, 4)).toBe(5_000);
    expect(rescorePartitionUsers(50_000, 50_000, 0)).toBe(50_000);
  });
});
