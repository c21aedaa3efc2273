import 'reflect-metadata';

const ACTIVITY_METHODS = Symbol('propensity:activityMethods');

/** Marks a method of an activities provider as a Temporal activity (registered under its name). */
export function Activity(): MethodDecorator {
  return (target, key) => {
    const names: string[] = Reflect.getMetadata(ACTIVITY_METHODS, target) ?? [];
    Reflect.defineMetadata(ACTIVITY_METHODS, [...names, String(key)], target);
  };
}

/** The marked methods of a provider instance, bound to it, as the worker registers them. */
export function bindActivities(instance: object): Record<string, (...args: never[]) => Promise<unknown>> {
  const names: string[] = Reflect.getMetadata(ACTIVITY_METHODS, Object.getPrototypeOf(instance)) ?? [];
  if (names.length === 0) throw new Error(`${instance.constructor.name} has no @Activity() methods`);
  const record = instance as Record<string, (...args: never[]) => Promise<unknown>>;
  return Object.fromEntries(names.map((n) => [n, record[n].bind(instance)]));
}
