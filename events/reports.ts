import { z } from 'zod';

const DaySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD');
export const REPORT_FORMATS = ['json', 'csv', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Longest period one report may cover: a quarter, so a request cannot ask for years of rows. */
export const MAX_REPORT_DAYS = 92;

/** GET /reports/topics and on-demand topic-report invocations. */
export const ReportQuerySchema = z
  .strictObject({
    from: DaySchema,
    to: DaySchema,
    granularity: z.enum(['day', 'week']).default('day'),
    format: z.enum(REPORT_FORMATS).default('json'),
  })
  .superRefine((query, ctx) => {
    const days = (Date.parse(`${query.to}T00:00:00Z`) - Date.parse(`${query.from}T00:00:00Z`)) / 86_400_000 + 1;
    if (Number.isNaN(days)) ctx.addIssue({ code: 'custom', path: ['from'], message: 'must be a real calendar date' });
    else if (days < 1) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
    else if (days > MAX_REPORT_DAYS) ctx.addIssue({ code: 'custom', path: ['to'], message: `must be at most ${MAX_REPORT_DAYS} days after from` });
  });
export type ReportQuery = z.infer<typeof ReportQuerySchema>;

/** What EventBridge Scheduler sends the topic-report function. */
export const ScheduledReportEventSchema = z.strictObject({ schedule: z.enum(['daily', 'weekly']) });
export type ScheduledReportEvent = z.infer<typeof ScheduledReportEventSchema>;
