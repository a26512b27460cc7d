import type { DecisionRequest } from '../../../events/review-api.ts';
import type { DraftRecord } from '../enquiry.ts';
import type { FieldProblem } from '../errors.ts';
import type { Language } from '../../vocabulary/languages.ts';
import type { DraftFlagKind } from './draft-reply.ts';
import { validateDraft } from './draft-validator.ts';
import type { KnowledgeArticle } from './knowledge-article.ts';

/**
 * The facts an agent may not add to what a caller receives: the same checks the draft validator runs on
 * model drafts (shared/domain/drafting/draft-validator.ts). One compromised or careless agent account must
 * not be able to send a phishing number or link, or a wrong fee, from the hotline's sender.
 */
export const EDIT_FACT_KINDS: ReadonlySet<DraftFlagKind> = new Set(['unsupported_phone', 'unsupported_url', 'unsupported_fee']);

export interface AgentEdit {
  /** The draft the agent reviewed (its cited articles are the grounding; its own facts were validated). */
  draft: Pick<DraftRecord, 'text' | 'smsText' | 'citedArticleIds' | 'language'> | undefined;
  /** The enquiry's language, when there is no draft. */
  language: Language;
  request: Pick<DecisionRequest, 'action' | 'text' | 'smsText' | 'sendSms'>;
}

/**
 * Refuses an edited reply or SMS that adds a phone number, web address or fee found in none of the articles
 * the draft cites (1823 and 999 are always allowed). Facts already in the draft or its SMS are kept as they
 * were. Pure: returns one problem per offending field, naming what was added and what to do instead.
 */
export function checkAgentEdit(edit: AgentEdit, citedArticles: KnowledgeArticle[]): FieldProblem[] {
  const { draft, request } = edit;
  const citedArticleIds = draft?.citedArticleIds ?? [];
  const language = draft?.language ?? edit.language;
  const factsIn = (text: string | undefined): { kind: DraftFlagKind; detail: string }[] =>
    text === undefined
      ? []
      : validateDraft({ text, citedArticleIds, language }, citedArticles).filter((flag) => EDIT_FACT_KINDS.has(flag.kind));
  // What the validator would say about the draft itself is not the agent's doing (e.g. the SMS template).
  const alreadyThere = new Set([...factsIn(draft?.text), ...factsIn(draft?.smsText)].map((flag) => flag.detail));
  const edited: { field: 'text' | 'smsText'; text: string | undefined }[] = [
    { field: 'text', text: request.action === 'edit' ? request.text : undefined },
    { field: 'smsText', text: request.sendSms && request.action !== 'reject' ? request.smsText : undefined },
  ];
  const problems: FieldProblem[] = [];
  for (const { field, text } of edited) {
    const added = factsIn(text).filter((flag) => !alreadyThere.has(flag.detail));
    if (added.length === 0) continue;
    problems.push({
      field,
      problem:
        `adds what the cited knowledge articles (${citedArticleIds.join(', ') || 'none'}) do not give: ${added.map((flag) => flag.detail.replace(/ is not in the cited articles$/, '')).join('; ')}. ` +
        'Replies may only give the numbers, links and fees of the cited articles: remove it, or reject the draft and ask a supervisor to correct the article',
    });
  }
  return problems;
}
