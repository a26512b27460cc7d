import * as z from 'zod/mini';
import { QuietHoursSchema } from './domain/sms/policy.ts';
import { check } from './domain/validation.ts';

/**
 * Runtime configuration from environment variables, validated once at init so a misconfigured function
 * fails at cold start with the variable's name, not later with an undefined.
 */
const ConfigSchema = z.object({
  ENQUIRY_TABLE_NAME: z.optional(z.string().check(z.minLength(3))),
  /** Raw contact data and task tokens (own KMS key); set only for the functions granted them. */
  RESTRICTED_TABLE_NAME: z.optional(z.string().check(z.minLength(3))),
  /** KMS HMAC_256 key that hashes callers' numbers (caller index, opt-outs); the key never leaves KMS. */
  CALLER_HASH_KEY_ID: z.optional(z.string().check(z.minLength(1))),
  STATE_MACHINE_ARN: z.optional(z.string().check(z.startsWith('arn:'))),
  INTAKE_DLQ_URL: z.optional(z.url()),
  TRANSCRIPTS_BUCKET: z.optional(z.string()),
  TRANSCRIPTS_KEY_ARN: z.optional(z.string()),
  BEDROCK_MODEL_ID: z.optional(z.string()),
  BEDROCK_REGION: z.optional(z.string()),
  /** Local classifier confidence at or above which Bedrock is not asked (cost saving). */
  // Overrides the accept threshold the local model chose at training (out-of-fold, by writer); unset = the model's.
  CLASSIFIER_ACCEPT_CONFIDENCE: z.optional(z.coerce.number().check(z.gte(0), z.lte(1))),
  SMS_OUTBOX_URL: z.optional(z.url()),
  SMS_TABLE_NAME: z.optional(z.string().check(z.minLength(3))),
  SMS_ORIGINATION_IDENTITY: z.optional(z.string()),
  SMS_MAX_SEGMENTS: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(10)), 4),
  /** Quiet hours, "HH:MM-HH:MM" Hong Kong time, at most 12 hours (one SQS deferral); unset = 22:00-08:00. */
  SMS_QUIET_HOURS: z.optional(QuietHoursSchema),
  REPORT_COUNTERS_TABLE_NAME: z.optional(z.string().check(z.minLength(3))),
  REPORTS_BUCKET: z.optional(z.string()),
  REPORTS_KEY_ARN: z.optional(z.string()),
  SPIKE_TOPIC_ARN: z.optional(z.string()),
  /** Models bucket: labelled examples (examples/topic/) and topic model versions (models/topic/). */
  MODELS_BUCKET: z.optional(z.string()),
  MODELS_KEY_ARN: z.optional(z.string()),
  KNOWLEDGE_DIR: z._default(z.string(), '/opt/knowledge'),
  AWS_REGION: z._default(z.string(), 'ap-east-1'),
});
export type Config = z.infer<typeof ConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = check(ConfigSchema, env);
  if (!result.success) {
    const problems = result.problems.map((p) => `${p.field}: ${p.problem}`).join('; ');
    throw new Error(`invalid configuration: ${problems}`);
  }
  return result.data;
}

/** A value the function cannot run without. */
export function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`invalid configuration: ${name} is required by this function`);
  return value;
}
