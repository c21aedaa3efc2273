/** Below this many users a partition is not split further for overlap: it is read in one query. */
export const MIN_OVERLAP_PARTITION_USERS = 10_000;

/**
 * The most users a rescore partition takes: `maxUsers`, but a population that `parallelism`
 * partitions of at least MIN_OVERLAP_PARTITION_USERS could share is cut into at least that many.
 * Each partition reads, scores and writes in turn; partitions running side by side put one's reading
 * (the store's cores) beside another's scoring (Node's), where one partition leaves the other idle
 * (50,000 users: 14.7-17.2 s in two partitions against 18.4-19.6 s in one).
 */
export function rescorePartitionUsers(totalUsers: number, maxUsers: number, parallelism: number): number {
  const shared = Math.ceil(totalUsers / Math.max(1, parallelism));
  return shared >= MIN_OVERLAP_PARTITION_USERS ? Math.min(maxUsers, shared) : maxUsers;
}
