/** Whether the runtime knows `tz` as an IANA time zone (Europe/Paris, UTC…). */
export function isIanaTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
