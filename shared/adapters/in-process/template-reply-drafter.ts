import type { DraftReply } from '../../domain/drafting/draft-reply.ts';
import type { DraftValidatorOptions } from '../../domain/drafting/draft-validator.ts';
import { groundingFor } from '../../domain/drafting/grounding.ts';
import { composeTemplateDraft } from '../../domain/drafting/template-draft.ts';
import type { ReplyTemplates } from '../../domain/drafting/templates.ts';
import type { KnowledgeBase } from '../../ports/knowledge-base.ts';
import type { DraftRequest, ReplyDrafter } from '../../ports/reply-drafter.ts';

/** The local drafter: deterministic template + retrieval. Local default and the fallback for Bedrock. */
export class TemplateReplyDrafter implements ReplyDrafter {
  constructor(
    private readonly knowledgeBase: KnowledgeBase,
    private readonly templates: ReplyTemplates,
    private readonly validatorOptions: DraftValidatorOptions = {},
  ) {}

  draft(input: DraftRequest): Promise<DraftReply> {
    const grounding = groundingFor(this.knowledgeBase, input, 1);
    return Promise.resolve(composeTemplateDraft(input, grounding, this.templates, this.validatorOptions));
  }
}
