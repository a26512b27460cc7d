import { ConverseCommand, type BedrockRuntimeClient, type ConverseCommandOutput, type ToolInputSchema } from '@aws-sdk/client-bedrock-runtime';
import {
  CLASSIFY_TOOL_NAME,
  classificationSystemPrompt,
  classificationUserMessage,
  classifyToolJsonSchema,
} from '../../domain/classification/classification-prompt.ts';
import { departmentOf, urgencyOf, type Taxonomy } from '../../domain/classification/taxonomy.ts';
import { TopicResultSchema, type TopicResult } from '../../domain/classification/topic-result.ts';
import { URGENCIES, type Urgency } from '../../vocabulary/topics.ts';
import { check } from '../../domain/validation.ts';
import type { ClassifyInput, TopicClassifier } from '../../ports/topic-classifier.ts';
import { BedrockUnavailable, converseWithRetry, type ConverseRetryOptions } from './bedrock-converse.ts';

export interface BedrockClassifierDeps extends ConverseRetryOptions {
  /** Build it with `maxAttempts: 1`: throttling is retried here, with backoff and an upper bound. */
  bedrock: BedrockRuntimeClient;
  taxonomy: Taxonomy;
  /** The local classifier: answers when Bedrock's output is invalid twice or Bedrock is unavailable. */
  fallback: TopicClassifier;
  onEvent?: (event: { type: 'invalid_output' | 'fallback' | 'throttled'; detail: string }) => void;
}

/** Invalid output is retried once (2 attempts), then the local classifier answers. */

const higherUrgency = (a: Urgency, b: Urgency): Urgency => (URGENCIES.indexOf(a) >= URGENCIES.indexOf(b) ? a : b);
const MODEL_ATTEMPTS = 2;

/**
 * Classification with Bedrock Converse: taxonomy in the system prompt, the redacted enquiry fenced as
 * data, structured output through a forced `record_topic` tool whose schema comes from zod, and the answer
 * validated with the same schema. The department always comes from the taxonomy, never from the model.
 */
export class BedrockTopicClassifier implements TopicClassifier {
  constructor(
    private readonly deps: BedrockClassifierDeps,
    private readonly settings: { modelId: string; maxTokens?: number },
  ) {}

  async classify(input: ClassifyInput): Promise<TopicResult> {
    const usage = { inputTokens: 0, outputTokens: 0 };
    for (let attempt = 1; attempt <= MODEL_ATTEMPTS; attempt += 1) {
      let response: ConverseCommandOutput;
      try {
        response = await converseWithRetry(this.deps.bedrock, this.command(input), {
          ...this.deps,
          onThrottled: (retry, delayMs) => this.deps.onEvent?.({ type: 'throttled', detail: `retry ${retry} after ${delayMs} ms` }),
        });
      } catch (error) {
        this.deps.onEvent?.({ type: 'fallback', detail: error instanceof BedrockUnavailable ? error.errorName : (error as Error).name });
        return { ...(await this.deps.fallback.classify(input)), degraded: true, ...(usage.inputTokens ? { usage } : {}) };
      }
      usage.inputTokens += response.usage?.inputTokens ?? 0;
      usage.outputTokens += response.usage?.outputTokens ?? 0;
      const toolUse = response.output?.message?.content?.find((block) => block.toolUse?.name === CLASSIFY_TOOL_NAME)?.toolUse;
      const parsed = check(TopicResultSchema, toolUse?.input);
      if (parsed.success) {
        const result = parsed.data;
        return {
          ...result,
          department: departmentOf(result.topic),
          // The taxonomy's urgency rules are a floor: enquiry text cannot talk the model into lowering them.
          urgency: higherUrgency(result.urgency, urgencyOf(this.deps.taxonomy, result.topic, input.text)),
          language: input.language ?? result.language,
          source: 'bedrock',
          accepted: true,
          ...(input.candidates ? { candidates: input.candidates } : {}),
          usage: { ...usage },
        };
      }
      // Field names only: never echo what the model wrote (it may repeat injected text).
      this.deps.onEvent?.({ type: 'invalid_output', detail: toolUse ? parsed.problems.map((p) => p.field).join(', ') : 'no tool call' });
    }
    this.deps.onEvent?.({ type: 'fallback', detail: 'invalid_output' });
    return { ...(await this.deps.fallback.classify(input)), usage };
  }

  private command(input: ClassifyInput): ConverseCommand {
    return new ConverseCommand({
      modelId: this.settings.modelId,
      system: [{ text: classificationSystemPrompt(this.deps.taxonomy) }],
      messages: [{ role: 'user', content: [{ text: classificationUserMessage(input.text, input.candidates) }] }],
      toolConfig: {
        tools: [
          {
            toolSpec: {
              name: CLASSIFY_TOOL_NAME,
              description: 'Record the topic classification of the enquiry.',
              inputSchema: { json: classifyToolJsonSchema() as ToolInputSchema.JsonMember['json'] },
            },
          },
        ],
        toolChoice: { tool: { name: CLASSIFY_TOOL_NAME } },
      },
      inferenceConfig: { maxTokens: this.settings.maxTokens ?? 400, temperature: 0 },
    });
  }
}

/**
 * Local first (cost saving): accept the local answer when the local model accepts it (its calibrated
 * confidence reaches the threshold chosen at training, or the configured one), otherwise ask Bedrock with
 * the local top three (Bedrock itself falls back to local, flagged degraded and still unsure, when unavailable).
 */
export class TieredTopicClassifier implements TopicClassifier {
  constructor(
    private readonly local: TopicClassifier,
    private readonly remote: TopicClassifier,
  ) {}

  async classify(input: ClassifyInput): Promise<TopicResult> {
    const local = await this.local.classify(input);
    if (local.accepted && local.topic !== 'out_of_scope') return local;
    // Unsure: a second opinion, told what the local model found most likely.
    return this.remote.classify({ ...input, ...(local.candidates ? { candidates: local.candidates } : {}) });
  }
}
