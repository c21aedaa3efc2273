/** One refused field in the API's error shape: the dotted path from the body's root, and why. */
export interface FieldError {
  field: string;
  reason: string;
}
