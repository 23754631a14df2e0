/**
 * Errors in MongoDB's shape: every failure that reaches a client carries a numeric
 * `code` and `codeName` exactly as mongod would, so drivers and mongoose map them to
 * the same error classes (e.g. MongoServerError with code 11000 → duplicate key).
 */
import { NOT_IMPLEMENTED, RefusedFeature, refusalMessage } from './unsupported';

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
  16867: 'Location16867',
  17276: 'Location17276',
  40414: 'Location40414',
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
 * A feature we deliberately do not implement (see unsupported.ts). The message names the
 * feature and points at MongoDB, so nobody mistakes a missing feature for a wrong answer.
 */
export function unsupported(feature: RefusedFeature, detail?: string, instead?: string): CommandError {
  return new CommandError(NOT_IMPLEMENTED, refusalMessage(feature, detail, instead));
}

/** Accepts only the simple (binary) collation; any other one is refused, never ignored. */
export function assertSimpleCollation(c: unknown): void {
  if (c === null || typeof c !== 'object' || Array.isArray(c)) throw new CommandError(14, `collation must be an object, got ${JSON.stringify(c)}`);
  const locale = (c as Record<string, unknown>).locale;
  if (locale === undefined) throw new CommandError(40414, "BSON field 'collation.locale' is missing but a required field");
  if (locale !== 'simple') throw unsupported('collations', `locale '${String(locale)}'`);
}

/** Wraps anything thrown by mingo or our own code into a CommandError. */
export function toCommandError(err: unknown): CommandError {
  if (err instanceof CommandError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  if (msg.startsWith('Use of undefined variable')) return new CommandError(17276, msg);
  // mingo errors are user errors (bad operator, bad expression): BadValue like mongod.
  return new CommandError(2, msg);
}
