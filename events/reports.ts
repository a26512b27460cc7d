import * as z from 'zod/mini';

/** A real calendar date: Date.parse would roll 2026-02-30 over to March, so round-trip it. */
const DaySchema = z.string().check(
  z.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD'),
  z.refine((day) => {
    const ms = Date.parse(`${day}T00:00:00Z`);
    return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === day;
  }, 'must be a real calendar date'),
);
/** `csv` is the topic table; `district-csv` the district × topic counts. */
export const REPORT_FORMATS = ['json', 'csv', 'html', 'district-csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Longest period one report may cover: a quarter, so a request cannot ask for years of rows. */
export const MAX_REPORT_DAYS = 92;

/** GET /reports/topics and on-demand topic-report invocations. */
export const ReportQuerySchema = z
  .strictObject({
    from: DaySchema,
    to: DaySchema,
    granularity: z._default(z.enum(['day', 'week']), 'day'),
    format: z._default(z.enum(REPORT_FORMATS), 'json'),
  })
  .check(
    z.superRefine((query, ctx) => {
    const days = (Date.parse(`${query.to}T00:00:00Z`) - Date.parse(`${query.from}T00:00:00Z`)) / 86_400_000 + 1;
    if (Number.isNaN(days)) return; // a bad date is already reported on its own field
    if (days < 1) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
    else if (days > MAX_REPORT_DAYS) ctx.addIssue({ code: 'custom', path: ['to'], message: `must be at most ${MAX_REPORT_DAYS} days after from` });
    }),
  );
export type ReportQuery = z.infer<typeof ReportQuerySchema>;

/** What EventBridge Scheduler sends the topic-report function. */
export const ScheduledReportEventSchema = z.strictObject({ schedule: z.enum(['daily', 'weekly']) });
export type ScheduledReportEvent = z.infer<typeof ScheduledReportEventSchema>;
