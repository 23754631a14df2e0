import { Types } from 'mongoose';
import { badInput } from './errors';

/** Parses a GraphQL `ID` that must be a MongoDB ObjectId; anything else is BAD_USER_INPUT. */
export function parseObjectId(value: unknown, argument = 'id'): Types.ObjectId {
  if (typeof value !== 'string' || !/^[0-9a-f]{24}$/i.test(value)) {
    throw badInput(`${argument} must be a 24-character hexadecimal id; got ${JSON.stringify(value)}`, argument);
  }
  return new Types.ObjectId(value);
}

/** Like parseObjectId but returns null for an id that cannot exist (look-ups answer null, not an error). */
export function tryObjectId(value: string): Types.ObjectId | null {
  return /^[0-9a-f]{24}$/i.test(value) ? new Types.ObjectId(value) : null;
}
