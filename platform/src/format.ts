/** A stored date as the ISO 8601 string GraphQL returns, or null. */
export const isoDateTime = (d: Date | null | undefined): string | null => (d ? new Date(d).toISOString() : null);

/** China's offset from UTC (UTC+8 all year, no daylight saving), in milliseconds. */
const CHINA_OFFSET_MS = 8 * 3_600_000;

/**
 * The calendar date (`YYYY-MM-DD`) of an instant in China time (UTC+8), the calendar the offices
 * keep; without an argument, today's date there.
 */
export const chinaDate = (at: Date = new Date()): string => new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
