import type { DraftRequest } from '../../ports/reply-drafter.ts';
import { replyScriptFor, type Script } from '../../vocabulary/languages.ts';
import type { DraftReply } from './draft-reply.ts';
import { validateDraft, type DraftValidatorOptions } from './draft-validator.ts';
import { textIn, type KnowledgeArticle } from './knowledge-article.ts';
import { departmentNameIn, fillTemplate, type ReplyTemplate, type ReplyTemplates } from './templates.ts';

/*
 * The deterministic drafter: templates + the best article, in the caller's script. It never quotes the
 * enquiry, so nothing the caller wrote (even redacted) reaches the reply; every fact comes from the cited
 * article, so the validator finds nothing to flag.
 */

function feesSection(template: ReplyTemplate, article: KnowledgeArticle, script: Script): string[] {
  if (!article.fees || article.fees.length === 0) return [];
  const items = article.fees.map((fee) => fillTemplate(template.feeItem, { feeItem: textIn(fee.item, script), amount: String(fee.amountHkd) }));
  return [fillTemplate(template.fees, { feeList: items.join(template.feeSeparator) })];
}

/**
 * How the reply opens depends on what the caller wants: an enquiry is answered from the article; a
 * complaint or service request (or an unknown case type: the safer reading) is acknowledged and referred;
 * a compliment is passed on. Out-of-scope enquiries get the referral opening whatever their type.
 */
function acknowledgementFor(request: DraftRequest, template: ReplyTemplate, names: { topicName: string; departmentName: string }): string {
  const enquiryId = request.enquiryId;
  if (request.topic === 'out_of_scope') return fillTemplate(template.acknowledgementOutOfScope, { enquiryId });
  switch (request.caseType) {
    case 'enquiry':
      return fillTemplate(template.acknowledgementEnquiry, { topicName: names.topicName, enquiryId });
    case 'compliment':
      return fillTemplate(template.acknowledgementCompliment, { departmentName: names.departmentName, enquiryId });
    default:
      return fillTemplate(template.acknowledgement, { ...names, enquiryId });
  }
}

export function composeTemplateDraft(
  request: DraftRequest,
  grounding: KnowledgeArticle[],
  templates: ReplyTemplates,
  validatorOptions: DraftValidatorOptions = {},
): DraftReply {
  const article = grounding[0];
  if (!article) throw new Error(`no knowledge-base article to ground the draft for ${request.enquiryId}`);
  const script = replyScriptFor(request.language);
  const template = templates.reply[script];
  const department = departmentNameIn(templates, request.department, script);
  const acknowledgement = acknowledgementFor(request, template, { topicName: textIn(article.topicName, script), departmentName: department.name });
  const sections = [
    fillTemplate(template.greeting, {}),
    acknowledgement,
    ...(request.urgency === 'urgent' ? [fillTemplate(template.urgentNote, {})] : []),
    fillTemplate(template.body, { articleBody: textIn(article.body, script) }),
    ...feesSection(template, article, script),
    fillTemplate(template.nextSteps, { processingTime: textIn(article.processingTime, script), hotline: article.hotline, web: article.web }),
    fillTemplate(template.citation, { articleIds: article.id }),
    fillTemplate(template.signOff, {}),
  ];
  const text = sections.join('\n\n');
  const citedArticleIds = [article.id];
  return {
    text,
    language: request.language,
    script,
    citedArticleIds,
    flags: validateDraft({ text, citedArticleIds, language: request.language }, grounding, validatorOptions),
    source: 'local',
  };
}
