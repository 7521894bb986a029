// ISO 8601 as JSON carries dates: a calendar date (UTC midnight), or a date and time with an explicit
// offset. A time without an offset is refused: it would be read in the server's time zone.
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|[+-](\d{2}):(\d{2})))?$/;

// Years 1 to 9999: what PostgreSQL, MySQL and ISO strings all hold without a sign or a year zero.
const EARLIEST_TIME = Date.parse("0001-01-01T00:00:00.000Z");
const LATEST_TIME = Date.parse("9999-12-31T23:59:59.999Z");

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/**
 * `value` as a `Date` when it is a valid `Date` or a strict ISO 8601 string
 * (`2024-05-01`, `2024-05-01T12:00:00Z`, `2024-05-01T14:00:00.250+02:00`) in years 1 to 9999;
 * otherwise undefined. JavaScript's own parser is lenient (it reads `2024-02-30` as 1 March), so the
 * calendar is checked here first.
 *
 * @example
 * parseDateTime("2024-05-01T12:00:00Z")?.getTime(); // 1714564800000
 * parseDateTime("2024-02-30"); // undefined
 */
export function parseDateTime(value: unknown): Date | undefined {
  if (value instanceof Date) return isInRange(value.getTime()) ? new Date(value.getTime()) : undefined;
  if (typeof value !== "string") return undefined;
  const match = ISO_DATE_TIME.exec(value);
  if (!match) return undefined;
  const [
    ,
    year,
    month,
    day,
    hour = "0",
    minute = "0",
    second = "0",
    fraction,
    offsetHour = "0",
    offsetMinute = "0",
  ] = match;
  const yearNumber = Number(year);
  const monthNumber = Number(month);
  if (monthNumber < 1 || monthNumber > 12) return undefined;
  const isLeapYear = yearNumber % 4 === 0 && (yearNumber % 100 !== 0 || yearNumber % 400 === 0);
  const daysInMonth = monthNumber === 2 && isLeapYear ? 29 : DAYS_IN_MONTH[monthNumber - 1]!;
  const dayNumber = Number(day);
  if (dayNumber < 1 || dayNumber > daysInMonth) return undefined;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return undefined;
  if (Number(offsetHour) > 23 || Number(offsetMinute) > 59) return undefined;
  // Beyond milliseconds the fraction is dropped, as every supported database stores milliseconds.
  const normalised =
    fraction && fraction.length > 3 ? value.replace(`.${fraction}`, `.${fraction.slice(0, 3)}`) : value;
  const time = Date.parse(normalised);
  return isInRange(time) ? new Date(time) : undefined;
}

function isInRange(time: number): boolean {
  return Number.isFinite(time) && time >= EARLIEST_TIME && time <= LATEST_TIME;
}
