import type { StepInput } from '../../../events/workflow.ts';
import type { Clock } from '../../ports/clock.ts';
import type { EnquiryStore } from '../../ports/enquiry-store.ts';
import type { ReplyDrafter } from '../../ports/reply-drafter.ts';
import type { TopicClassifier } from '../../ports/topic-classifier.ts';
import { ValidationError } from '../errors.ts';
import { accepts, loadEnquiry as load } from './step-status.ts';
import { FIRST_DRAFT_ID } from '../drafting/draft-ids.ts';
import { isCaseType, type TopicId, type DepartmentId, type Urgency } from '../../vocabulary/topics.ts';
import type { Language } from '../../vocabulary/languages.ts';
import type { GazetteerPlace } from '../location/gazetteer.ts';
import { locatePlace } from '../location/locate.ts';
import { EnquiryLocationSchema } from '../location/location-schema.ts';
import { parseOrThrow } from '../validation.ts';

export interface ClassifyDeps {
  store: EnquiryStore;
  classifier: TopicClassifier;
  clock: Clock;
  /** The places the enquiry's district is found from (layers/knowledge/glossary/places-hk.tsv). */
  gazetteer: readonly GazetteerPlace[];
}

/** Classifies the topic and finds where the enquiry is about (district and place), both from the redacted text. */
export async function classifyEnquiry(input: StepInput, deps: ClassifyDeps): Promise<{ topic: string; location: string; district?: string }> {
  const enquiry = await load(deps.store, input.enquiryId);
  if (enquiry.redactedText === undefined) throw new ValidationError([{ field: 'redactedText', problem: 'enquiry has not been redacted' }]);
  const language = enquiry.language ?? enquiry.languageHint;
  const result = await deps.classifier.classify({ text: enquiry.redactedText, ...(language ? { language } : {}) });
  const location = parseOrThrow(EnquiryLocationSchema, locatePlace(enquiry.redactedText, deps.gazetteer));
  await deps.store.changeStatus({
    enquiryId: input.enquiryId,
    expectedStatus: accepts(['redacted'], 'classified'),
    to: 'classified',
    actor: 'workflow',
    at: deps.clock.now().toISOString(),
    patch: { topic: result, location, language: result.language, ...(result.degraded ? { degraded: true } : {}) },
  });
  return { topic: result.topic, location: location.status, ...(location.district ? { district: location.district } : {}) };
}

export interface DraftDeps {
  store: EnquiryStore;
  drafter: ReplyDrafter;
  clock: Clock;
  /** The short follow-up SMS for an enquiry, from the knowledge base's SMS template. */
  composeSms: (facts: { enquiryId: string; topic: TopicId; department: DepartmentId; language: Language }) => string;
}

export async function draftReply(input: StepInput, deps: DraftDeps): Promise<{ citedArticleIds: string[] }> {
  const enquiry = await load(deps.store, input.enquiryId);
  const { topic, redactedText } = enquiry;
  if (!topic || redactedText === undefined) throw new ValidationError([{ field: 'topic', problem: 'enquiry has not been classified' }]);
  const draft = await deps.drafter.draft({
    enquiryId: enquiry.enquiryId,
    redactedText,
    topic: topic.topic as TopicId,
    department: topic.department as DepartmentId,
    urgency: topic.urgency as Urgency,
    language: topic.language,
    ...(isCaseType(topic.caseType) ? { caseType: topic.caseType } : {}),
  });
  await deps.store.changeStatus({
    enquiryId: input.enquiryId,
    expectedStatus: accepts(['classified'], 'drafted'),
    to: 'drafted',
    actor: 'workflow',
    at: deps.clock.now().toISOString(),
    patch: {
      draft: {
        ...draft,
        draftId: FIRST_DRAFT_ID,
        topic: topic.topic,
        department: topic.department,
        smsText: deps.composeSms({ enquiryId: enquiry.enquiryId, topic: topic.topic as TopicId, department: topic.department as DepartmentId, language: topic.language }),
      },
      ...(draft.degraded || enquiry.degraded ? { degraded: true } : {}),
    },
  });
  return { citedArticleIds: draft.citedArticleIds };
}
