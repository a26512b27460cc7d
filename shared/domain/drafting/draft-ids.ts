import type { DraftRecord } from '../enquiry.ts';

/*
 * Draft ids: the workflow's draft is D1; each redraft after a topic correction the next number. Kept in a
 * module of its own so steps that only stamp the id (DraftReply) load nothing else.
 */

export const FIRST_DRAFT_ID = 'D1';

/** The id of a stored draft (drafts made before ids existed are D1); undefined without a draft. */
export const draftIdOf = (draft: Pick<DraftRecord, 'draftId'> | undefined): string | undefined => (draft ? (draft.draftId ?? FIRST_DRAFT_ID) : undefined);

export function nextDraftId(draft: Pick<DraftRecord, 'draftId'> | undefined): string {
  const number = Number((draftIdOf(draft) ?? 'D0').slice(1));
  return `D${Number.isInteger(number) ? number + 1 : 2}`;
}
