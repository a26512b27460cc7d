import { BedrockUnavailable, converseWithRetry } from './bedrock-converse.ts';
import { ConverseCommand, type BedrockRuntimeClient, type ConverseCommandInput, type ConverseCommandOutput, type ToolInputSchema } from '@aws-sdk/client-bedrock-runtime';
import type { DraftReply, TokenUsage } from '../../domain/drafting/draft-reply.ts';
import { hasBlockingFlag, validateDraft, type DraftValidatorOptions } from '../../domain/drafting/draft-validator.ts';
import {
  DRAFT_TOOL_NAME,
  DraftToolInputSchema,
  draftingSystemPrompt,
  draftingUserMessage,
  draftToolJsonSchema,
} from '../../domain/drafting/drafting-prompt.ts';
import { groundingFor } from '../../domain/drafting/grounding.ts';
import type { KnowledgeArticle } from '../../domain/drafting/knowledge-article.ts';
import { replyScriptFor } from '../../vocabulary/languages.ts';
import { check } from '../../domain/validation.ts';
import type { KnowledgeBase } from '../../ports/knowledge-base.ts';
import type { DraftRequest, ReplyDrafter } from '../../ports/reply-drafter.ts';

export interface BedrockDrafterSettings {
  modelId: string;
  maxTokens?: number;
  /** Articles given to the model as grounding. */
  groundingLimit?: number;
  /** Throttled calls retried per attempt before Bedrock counts as unavailable. */
  maxThrottleRetries?: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  validator?: DraftValidatorOptions;
}

/** The settings a drafter runs with when not given (bench/cost.ts prices the prompt from these). */
export const DEFAULT_DRAFTER_SETTINGS = {
  maxTokens: 1500,
  groundingLimit: 3,
  maxThrottleRetries: 3,
  backoffBaseMs: 250,
  backoffCapMs: 4000,
} as const satisfies Omit<BedrockDrafterSettings, 'modelId' | 'validator'>;

/** What happened, for the handler's logs and metrics. Never carries enquiry or draft text. */
export type DrafterEvent =
  | { type: 'throttled'; retry: number; delayMs: number }
  | { type: 'invalid_output'; attempt: number; problems: string[] }
  | { type: 'fallback'; reason: 'invalid_output' | 'unavailable'; errorName?: string };

export interface BedrockDrafterDeps {
  /** Build it with `maxAttempts: 1`: throttling is retried here, with backoff and an upper bound. */
  bedrock: BedrockRuntimeClient;
  knowledgeBase: KnowledgeBase;
  /** The local drafter: used when the model's output is invalid twice or Bedrock is unavailable. */
  fallback: ReplyDrafter;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  onEvent?: (event: DrafterEvent) => void;
}

/** Invalid output is retried once (2 attempts in all), then the local drafter writes the draft. */
const MODEL_ATTEMPTS = 2;

type AttemptOutcome = { ok: true; draft: DraftReply } | { ok: false; problems: string[] };

/**
 * Drafts with Bedrock Converse, grounded in retrieved articles, structured output through a forced
 * `submit_draft` tool. Every model draft is checked by the validator; the local drafter stands in when
 * the model's output cannot be used or Bedrock cannot be reached, so an enquiry always gets a draft.
 */
export class BedrockReplyDrafter implements ReplyDrafter {
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(
    private readonly deps: BedrockDrafterDeps,
    private readonly settings: BedrockDrafterSettings,
  ) {
    this.sleep = deps.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = deps.random ?? Math.random;
  }

  async draft(request: DraftRequest): Promise<DraftReply> {
    const grounding = groundingFor(this.deps.knowledgeBase, request, this.settings.groundingLimit ?? DEFAULT_DRAFTER_SETTINGS.groundingLimit);
    const usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
    let previousProblems: string[] = [];
    for (let attempt = 1; attempt <= MODEL_ATTEMPTS; attempt += 1) {
      let response: ConverseCommandOutput;
      try {
        response = await this.converse(this.command(request, grounding, previousProblems));
      } catch (error) {
        // Throttling exhausted, service down, or misconfigured: the enquiry still gets a (local) draft.
        const errorName = error instanceof BedrockUnavailable ? error.errorName : (error as Error).name;
        this.deps.onEvent?.({ type: 'fallback', reason: 'unavailable', errorName });
        return this.fallback(request, usage, true);
      }
      usage.inputTokens += response.usage?.inputTokens ?? 0;
      usage.outputTokens += response.usage?.outputTokens ?? 0;
      const outcome = this.interpret(response, request, grounding, usage);
      if (outcome.ok) return outcome.draft;
      previousProblems = outcome.problems;
      this.deps.onEvent?.({ type: 'invalid_output', attempt, problems: outcome.problems });
    }
    this.deps.onEvent?.({ type: 'fallback', reason: 'invalid_output' });
    return this.fallback(request, usage, false);
  }

  private command(request: DraftRequest, grounding: KnowledgeArticle[], previousProblems: string[]): ConverseCommand {
    return new ConverseCommand(draftConverseInput(request, grounding, previousProblems, this.settings));
  }

  /** One Converse call; throttling retried with bounded jittered backoff, anything else (or exhaustion) is "unavailable". */
  private converse(command: ConverseCommand): Promise<ConverseCommandOutput> {
    return converseWithRetry(this.deps.bedrock, command, {
      maxThrottleRetries: this.settings.maxThrottleRetries ?? DEFAULT_DRAFTER_SETTINGS.maxThrottleRetries,
      backoffBaseMs: this.settings.backoffBaseMs ?? DEFAULT_DRAFTER_SETTINGS.backoffBaseMs,
      backoffCapMs: this.settings.backoffCapMs ?? DEFAULT_DRAFTER_SETTINGS.backoffCapMs,
      random: this.random,
      sleep: this.sleep,
      onThrottled: (retry, delayMs) => this.deps.onEvent?.({ type: 'throttled', retry, delayMs }),
    });
  }

  private interpret(response: ConverseCommandOutput, request: DraftRequest, grounding: KnowledgeArticle[], usage: TokenUsage): AttemptOutcome {
    const toolUse = response.output?.message?.content?.find((block) => block.toolUse?.name === DRAFT_TOOL_NAME)?.toolUse;
    if (!toolUse) return { ok: false, problems: [`no ${DRAFT_TOOL_NAME} tool call`] };
    const parsed = check(DraftToolInputSchema, toolUse.input);
    if (!parsed.success) return { ok: false, problems: parsed.problems.map((p) => `${p.field}: ${p.problem}`) };
    const { text, citedArticleIds } = parsed.data;
    const flags = validateDraft({ text, citedArticleIds, language: request.language }, grounding, this.settings.validator);
    // Only flag kinds go back into the retry prompt: details may echo text an enquiry tried to inject.
    if (hasBlockingFlag(flags)) return { ok: false, problems: [...new Set(flags.map((flag) => flag.kind))] };
    return {
      ok: true,
      draft: {
        text,
        language: request.language,
        script: replyScriptFor(request.language),
        citedArticleIds,
        flags,
        source: 'bedrock',
        usage: { ...usage },
      },
    };
  }

  private async fallback(request: DraftRequest, usage: TokenUsage, degraded: boolean): Promise<DraftReply> {
    const draft = await this.deps.fallback.draft(request);
    const spent = usage.inputTokens + usage.outputTokens > 0 ? { usage: { ...usage } } : {};
    return { ...draft, ...spent, ...(degraded ? { degraded: true } : {}) };
  }
}

/** The Converse request of one drafting attempt: what the model is sent (and what bench/cost.ts counts). */
export function draftConverseInput(
  request: DraftRequest,
  grounding: KnowledgeArticle[],
  previousProblems: string[],
  settings: Pick<BedrockDrafterSettings, 'modelId' | 'maxTokens' | 'validator'>,
): ConverseCommandInput {
  const maxChars = settings.validator?.maxChars;
  return {
    modelId: settings.modelId,
    system: [{ text: draftingSystemPrompt(grounding, request, { previousProblems, ...(maxChars ? { maxChars } : {}) }) }],
    messages: [{ role: 'user', content: [{ text: draftingUserMessage(request) }] }],
    toolConfig: {
      tools: [
        {
          toolSpec: {
            name: DRAFT_TOOL_NAME,
            description: 'Submit the drafted reply and the ids of the knowledge-base articles it cites.',
            inputSchema: { json: draftToolJsonSchema() as ToolInputSchema.JsonMember['json'] },
          },
        },
      ],
      toolChoice: { tool: { name: DRAFT_TOOL_NAME } },
    },
    inferenceConfig: { maxTokens: settings.maxTokens ?? DEFAULT_DRAFTER_SETTINGS.maxTokens, temperature: 0 },
  };
}
