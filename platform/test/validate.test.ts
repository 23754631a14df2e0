import { GraphQLError } from 'graphql';
import { chinaDate } from '../src/format';
import { calendarDate, isCalendarDate } from '../src/validate';

/** The error `fn` throws (it must throw a GraphQLError). */
function thrown(fn: () => unknown): GraphQLError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(GraphQLError);
    return e as GraphQLError;
  }
  throw new Error('expected a BAD_USER_INPUT error, nothing was thrown');
}

/** Expects BAD_USER_INPUT naming `argument`, with a message matching `message`. */
function refused(fn: () => unknown, argument: string, message: RegExp): void {
  const e = thrown(fn);
  expect(e.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
  expect(e.message.startsWith(argument)).toBe(true);
  expect(e.message).toMatch(message);
}

afterEach(() => {
  jest.useRealTimers();
});

describe('chinaDate', () => {
  it('is the calendar date in UTC+8, which runs ahead of UTC from 16:00 UTC', () => {
    expect(chinaDate(new Date('2023-11-28T15:59:59Z'))).toBe('2023-11-28');
    expect(chinaDate(new Date('2023-11-28T16:00:00Z'))).toBe('2023-11-29');
    expect(chinaDate(new Date('2023-12-31T16:00:00Z'))).toBe('2024-01-01');
    expect(chinaDate(new Date('2024-01-01T00:00:00+08:00'))).toBe('2024-01-01');
  });

  it('is today in China time without an argument', () => {
    jest.useFakeTimers({ now: new Date('2024-02-28T17:30:00Z') });
    expect(chinaDate()).toBe('2024-02-29');
  });
});

describe('isCalendarDate', () => {
  it.each(['2023-11-28', '2024-02-29', '2000-02-29', '1921-07-01', '2023-12-31'])('accepts %s', (d) => {
    expect(isCalendarDate(d)).toBe(true);
  });
  it.each([
    '2024-02-30', '2023-02-29', '1900-02-29', '2023-04-31', '2023-13-01', '2023-00-10', '2023-01-00',
    '2023-1-5', '20231128', '2023-11-28T00:00:00Z', ' 2023-11-28', '2023-11-28\n', '２０２３-11-28', '',
  ])('refuses %j', (d) => {
    expect(isCalendarDate(d)).toBe(false);
  });
  it.each([null, undefined, 20231128, new Date('2023-11-28'), { $ne: '' }, ['2023-11-28']])('refuses the non-string %p', (v) => {
    expect(isCalendarDate(v)).toBe(false);
  });
});

describe('calendarDate', () => {
  it('returns a real date unchanged', () => {
    expect(calendarDate('2024-02-29', 'input.date')).toBe('2024-02-29');
    expect(calendarDate('2199-12-31', 'endDate')).toBe('2199-12-31');
  });

  it.each([{ $ne: '' }, { $gt: '' }, null, undefined, 20231128, ['2023-11-28'], 'yesterday', '2023-11-28T00:00:00Z', '01/02/2030'])(
    'refuses %p as not a YYYY-MM-DD string, naming the argument',
    (v) => refused(() => calendarDate(v, 'input.startDate'), 'input.startDate', /must be a calendar date YYYY-MM-DD such as 2023-11-28; got /),
  );

  it('quotes what it got', () => {
    expect(thrown(() => calendarDate({ $ne: '' }, 'date')).message).toContain('got {"$ne":""}');
  });

  it.each(['2024-02-30', '2023-02-29', '2023-04-31', '2023-13-01', '2023-00-01'])('refuses the impossible date %s', (d) => {
    refused(() => calendarDate(d, 'input.joinedOn'), 'input.joinedOn', new RegExp(`is not a real date: ${d}$`));
  });

  it('without bounds accepts 1900-01-01 to 2200-12-31, future dates included', () => {
    expect(calendarDate('1900-01-01', 'd')).toBe('1900-01-01');
    expect(calendarDate('2200-12-31', 'd')).toBe('2200-12-31');
    expect(calendarDate('2150-01-01', 'd')).toBe('2150-01-01');
    refused(() => calendarDate('1899-12-31', 'd'), 'd', /is before 1900-01-01: 1899-12-31/);
    refused(() => calendarDate('2201-01-01', 'd'), 'd', /is after 2200-12-31: 2201-01-01/);
  });

  it('notBefore sets the earliest date, named by its label when given', () => {
    expect(calendarDate('2000-01-01', 'date', { notBefore: '2000-01-01' })).toBe('2000-01-01');
    refused(() => calendarDate('1999-12-31', 'date', { notBefore: '2000-01-01' }), 'date', /is before 2000-01-01: 1999-12-31$/);
    refused(() => calendarDate('1921-06-30', 'input.joinedOn', { notBefore: '1921-07-01', notBeforeLabel: 'the party was founded' }),
      'input.joinedOn', /is before the party was founded \(1921-07-01\): 1921-06-30$/);
  });

  it('notAfterToday refuses dates after today in China time, not in UTC', () => {
    // 17:30 UTC on 28 February is already 01:30 on 29 February in China.
    jest.useFakeTimers({ now: new Date('2024-02-28T17:30:00Z') });
    expect(calendarDate('2024-02-29', 'input.date', { notAfterToday: true })).toBe('2024-02-29');
    refused(() => calendarDate('2024-03-01', 'input.date', { notAfterToday: true }), 'input.date', /is in the future: 2024-03-01$/);
    refused(() => calendarDate('2999-01-01', 'input.date', { notAfterToday: true }), 'input.date', /is in the future/);
    expect(calendarDate('2024-03-01', 'input.date')).toBe('2024-03-01');
  });

  it('checks the form before the bounds, so an impossible date is never reported as out of range', () => {
    refused(() => calendarDate('1899-02-30', 'd', { notBefore: '2000-01-01' }), 'd', /not a real date/);
    refused(() => calendarDate('2999-02-30', 'd', { notAfterToday: true }), 'd', /not a real date/);
  });
});
