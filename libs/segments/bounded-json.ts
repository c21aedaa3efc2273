/**
 * A first, shape-agnostic pass over untrusted JSON before any schema walks it: bounded depth, array
 * lengths, string lengths and node count keep the recursive schema's work (and its error list) small
 * whatever arrives, and a key starting with `$` (a Mongo operator such as $where, $function, $expr) is
 * refused by name at its exact path. Iterative, so hostile nesting cannot overflow the stack.
 */
export interface JsonBounds {
  maxDepth: number;
  maxArrayLength: number;
  maxStringLength: number;
  maxKeyLength: number;
  maxNodes: number;
}

export interface JsonProblem {
  path: (string | number)[];
  reason: string;
}

const MAX_PROBLEMS = 20;

export function jsonProblems(value: unknown, bounds: JsonBounds): JsonProblem[] {
  const problems: JsonProblem[] = [];
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  let nodes = 0;
  while (stack.length > 0 && problems.length < MAX_PROBLEMS) {
    const { value: v, path } = stack.pop()!;
    if (++nodes > bounds.maxNodes) {
      problems.push({ path: [], reason: `too large: more than ${bounds.maxNodes} values in all` });
      break;
    }
    const problem = scalarProblem(v, bounds);
    if (problem !== undefined) {
      if (problem) problems.push({ path, reason: problem });
      continue;
    }
    const keys = Array.isArray(v) ? null : Object.keys(v as object);
    const size = keys === null ? (v as unknown[]).length : keys.length;
    if (size === 0) continue;
    if (path.length === bounds.maxDepth) problems.push({ path, reason: `nested too deeply (more than ${bounds.maxDepth} levels of objects and arrays)` });
    else if (size > bounds.maxArrayLength) problems.push({ path, reason: `at most ${bounds.maxArrayLength} ${keys === null ? 'items' : 'fields'} (got ${size})` });
    else
      for (let i = size - 1; i >= 0; i--) {
        const key = keys === null ? i : keys[i];
        if (typeof key === 'string' && key.startsWith('$')) problems.push({ path: [...path, key], reason: `operators are not accepted (${key.slice(0, 32)}): use the documented condition types` });
        else if (typeof key === 'string' && key.length > bounds.maxKeyLength) problems.push({ path, reason: `field names are at most ${bounds.maxKeyLength} characters` });
        else stack.push({ value: (v as Record<string | number, unknown>)[key], path: [...path, key] });
      }
  }
  return problems.slice(0, MAX_PROBLEMS);
}

/** For a leaf: '' if fine, else the reason; undefined for an array or plain object (walked further). */
function scalarProblem(v: unknown, bounds: JsonBounds): string | undefined {
  // undefined is an absent field (objects built in code, not JSON), left to the schema.
  if (v === null || v === undefined || typeof v === 'boolean') return '';
  if (typeof v === 'number') return Number.isFinite(v) ? '' : 'must be a finite number';
  if (typeof v === 'string') return v.length > bounds.maxStringLength ? `at most ${bounds.maxStringLength} characters` : '';
  if (Array.isArray(v) || (typeof v === 'object' && isPlainObject(v))) return undefined;
  return 'must be JSON (null, boolean, number, string, array or object)';
}

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
