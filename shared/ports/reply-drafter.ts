import type { DraftReply } from '../domain/drafting/draft-reply.ts';
import type { Language } from '../vocabulary/languages.ts';
import type { CaseType, DepartmentId, TopicId, Urgency } from '../vocabulary/topics.ts';

export type { DraftReply };

/** What a drafter may see: the classified enquiry with personal data already replaced by placeholders. */
export interface DraftRequest {
  enquiryId: string;
  redactedText: string;
  topic: TopicId;
  department: DepartmentId;
  urgency: Urgency;
  language: Language;
  /** What the caller wants; decides whether the reply answers, or acknowledges and refers. Absent: treated as a complaint. */
  caseType?: CaseType;
}

/** Drafts a reply for an agent to review, grounded in the knowledge base, in the caller's script. */
export interface ReplyDrafter {
  draft(input: DraftRequest): Promise<DraftReply>;
}
