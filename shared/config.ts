import { z } from 'zod';

/**
 * Runtime configuration from environment variables, validated once at init so a misconfigured function
 * fails at cold start with the variable's name, not later with an undefined.
 */
const ConfigSchema = z.object({
  ENQUIRY_TABLE_NAME: z.string().min(3).optional(),
  /** Raw contact data and task tokens (own KMS key); set only for the functions granted them. */
  RESTRICTED_TABLE_NAME: z.string().min(3).optional(),
  /** KMS HMAC_256 key that hashes callers' numbers (caller index, opt-outs); the key never leaves KMS. */
  CALLER_HASH_KEY_ID: z.string().min(1).optional(),
  STATE_MACHINE_ARN: z.string().startsWith('arn:').optional(),
  INTAKE_DLQ_URL: z.url().optional(),
  TRANSCRIPTS_BUCKET: z.string().optional(),
  TRANSCRIPTS_KEY_ARN: z.string().optional(),
  BEDROCK_MODEL_ID: z.string().optional(),
  BEDROCK_REGION: z.string().optional(),
  /** Local classifier confidence at or above which Bedrock is not asked (cost saving). */
  // Overrides the accept threshold the local model chose at training (out-of-fold, by writer); unset = the model's.
  CLASSIFIER_ACCEPT_CONFIDENCE: z.coerce.number().min(0).max(1).optional(),
  SMS_OUTBOX_URL: z.url().optional(),
  SMS_TABLE_NAME: z.string().min(3).optional(),
  SMS_ORIGINATION_IDENTITY: z.string().optional(),
  SMS_MAX_SEGMENTS: z.coerce.number().int().min(1).max(10).default(4),
  REPORT_COUNTERS_TABLE_NAME: z.string().min(3).optional(),
  REPORTS_BUCKET: z.string().optional(),
  REPORTS_KEY_ARN: z.string().optional(),
  SPIKE_TOPIC_ARN: z.string().optional(),
  /** Models bucket: labelled examples (examples/topic/) and topic model versions (models/topic/). */
  MODELS_BUCKET: z.string().optional(),
  MODELS_KEY_ARN: z.string().optional(),
  KNOWLEDGE_DIR: z.string().default('/opt/knowledge'),
  AWS_REGION: z.string().default('ap-east-1'),
});
export type Config = z.infer<typeof ConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = ConfigSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${problems}`);
  }
  return result.data;
}

/** A value the function cannot run without. */
export function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`invalid configuration: ${name} is required by this function`);
  return value;
}
