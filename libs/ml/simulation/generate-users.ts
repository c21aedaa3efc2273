import { SimulatedUser, simulateUser } from './simulate-user';
import { SimulationConfig, resolveSimulationConfig } from './simulation-config';

/**
 * Streams users [from, to) of the population one at a time (nothing retained), so a million users fit in
 * constant memory and any slice can be produced on its own, identical to the same users of the whole.
 */
export function* generateUsers(config: SimulationConfig, range: { from?: number; to?: number } = {}): Generator<SimulatedUser> {
  const resolved = resolveSimulationConfig(config);
  const from = range.from ?? 0;
  const to = range.to ?? resolved.users;
  if (!(Number.isSafeInteger(from) && Number.isSafeInteger(to) && 0 <= from && from <= to && to <= resolved.users))
    throw new RangeError(`simulation: range [${from}, ${to}) outside [0, ${resolved.users}]`);
  for (let index = from; index < to; index++) yield simulateUser(resolved, index);
}

/** The whole population in memory: convenient for tests and the demo (tens of thousands of users). */
export function simulatePopulation(config: SimulationConfig): SimulatedUser[] {
  return Array.from(generateUsers(config));
}
