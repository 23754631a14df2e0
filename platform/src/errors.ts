import { GraphQLError } from 'graphql';
import { envPrefix } from './departments';

/** The error codes of the CONTRACT; nothing else reaches clients. */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'INTERNAL_SERVER_ERROR';

const HTTP_STATUS: Record<ErrorCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 200,
  BAD_USER_INPUT: 200,
  NOT_FOUND: 200,
  INTERNAL_SERVER_ERROR: 500,
};

function make(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  const http = code === 'UNAUTHENTICATED' ? { http: { status: HTTP_STATUS[code] } } : {};
  return new GraphQLError(message, { extensions: { code, ...extra, ...http } });
}

export const unauthenticated = (message = 'A valid bearer token is required') => make('UNAUTHENTICATED', message);
export const forbidden = (message: string) => make('FORBIDDEN', message);
/** `argument` names where the bad input is (e.g. `input.idNumber`), so clients can point at it. */
export const badInput = (message: string, argument?: string) =>
  make('BAD_USER_INPUT', message, argument ? { argument } : {});
export const notFound = (message: string) => make('NOT_FOUND', message);

/**
 * A department's subgraph failed or could not be reached (CONTRACT: "a department down"):
 * `extensions.department` names it (`civil-affairs` → `CIVIL_AFFAIRS`).
 */
export const departmentUnavailable = (service: string, message: string) =>
  new GraphQLError(message, { extensions: { code: 'DEPARTMENT_UNAVAILABLE', department: envPrefix(service) } });

export function isGraphQLError(e: unknown): e is GraphQLError {
  return e instanceof GraphQLError;
}
