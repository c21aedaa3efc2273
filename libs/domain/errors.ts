/**
 * What went wrong, in terms any layer can throw and the API renders in its one error shape
 * (400, 404, 409). No HTTP here: the API maps these by class.
 */

/** One field at fault: its dotted path (`events.3.ts`, `(body)` for the whole body) and why. */
export interface FieldError {
  field: string;
  reason: string;
}

/** Input that breaks a rule: every field at fault is named. */
export class ValidationError extends Error {
  constructor(
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
    this.name = 'ValidationError';
  }
}

/** The thing asked for does not exist. */
export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** The request is valid but the current state refuses it (e.g. running an archived prediction). */
export class ConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConflictError';
  }
}
