/** A stored date as the ISO 8601 string GraphQL returns, or null. */
export const isoDateTime = (d: Date | null | undefined): string | null => (d ? new Date(d).toISOString() : null);
