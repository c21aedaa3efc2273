export { TimezoneHours, WEEK_HOURS, HOURS_PER_DAY, weekdayOf, hourOf } from './timezone-hour';
export { weekHourCounts, DEFAULT_ENGAGEMENT_WEIGHTS, type WeekHourCounts } from './week-hour-counts';
export { fitSendTimePrior, type SendTimePrior, type SendTimePriorOptions } from './population-prior';
export { sendTimeProfile, type SendTimeProfile } from './send-time-profile';
export { storedSendTimeProfile, storedWeekHours } from './stored-profile';
export { priorSampleSlots, PRIOR_SAMPLE_USERS } from './prior-sample';
