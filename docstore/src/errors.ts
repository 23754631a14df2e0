/**
 * Errors in MongoDB's shape: every failure that reaches a client carries a numeric
 * `code` and `codeName` exactly as mongod would, so drivers and mongoose map them to
 * the same error classes (e.g. MongoServerError with code 11000 → duplicate key).
 */

export const CODE_NAMES: Record<number, string> = {
  1: 'InternalError',
  2: 'BadValue',
  9: 'FailedToParse',
  11: 'UserNotFound',
  14: 'TypeMismatch',
  20: 'IllegalOperation',
  26: 'NamespaceNotFound',
  27: 'IndexNotFound',
  40: 'ConflictingUpdateOperators',
  43: 'CursorNotFound',
  48: 'NamespaceExists',
  52: 'DollarPrefixedFieldName',
  59: 'CommandNotFound',
  66: 'ImmutableField',
  67: 'CannotCreateIndex',
  72: 'InvalidOptions',
  73: 'InvalidNamespace',
  85: 'IndexOptionsConflict',
  86: 'IndexKeySpecsConflict',
  115: 'CommandNotSupported',
  238: 'NotImplemented',
  251: 'NoSuchTransaction',
  11000: 'DuplicateKey',
  40573: 'Location40573',
};

export class CommandError extends Error {
  readonly code: number;
  readonly codeName: string;
  /** Extra fields copied into the error reply (e.g. keyPattern/keyValue for 11000). */
  readonly extra: Record<string, unknown>;
  constructor(code: number, message: string, extra: Record<string, unknown> = {}) {
    super(message);
    this.code = code;
    this.codeName = CODE_NAMES[code] ?? 'UnknownError';
    this.extra = extra;
  }
}

export const badValue = (msg: string) => new CommandError(2, msg);

/**
 * A feature we deliberately do not implement. The message names the feature and points
 * at MongoDB, so nobody mistakes a missing feature for a wrong answer.
 */
export function unsupported(feature: string): CommandError {
  return new CommandError(
    238,
    `docstore does not support ${feature}; use a real MongoDB server (set MONGODB_URI) for this feature`,
  );
}

/** Wraps anything thrown by mingo or our own code into a CommandError. */
export function toCommandError(err: unknown): CommandError {
  if (err instanceof CommandError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  // mingo errors are user errors (bad operator, bad expression): BadValue like mongod.
  return new CommandError(2, msg);
}
