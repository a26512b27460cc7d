import type { Enquiry } from '../enquiry.ts';

/*
 * What the review API shows of an enquiry in the agents' queue; the console types its list from it
 * (console/api.ts), so the two cannot drift apart.
 */

/** Summary for the agents' queue: no text at all, so a list can never leak anything. */
export function summaryOf(enquiry: Enquiry, now: Date) {
  return {
    enquiryId: enquiry.enquiryId,
    status: enquiry.status,
    channel: enquiry.channel,
    language: enquiry.language ?? enquiry.languageHint ?? null,
    topic: enquiry.topic?.topic ?? null,
    department: enquiry.topic?.department ?? null,
    urgency: enquiry.topic?.urgency ?? null,
    confidence: enquiry.topic?.confidence ?? null,
    /** Where the enquiry is about: district (or the candidates when ambiguous) and the gazetteer's place; null before classification. */
    location: enquiry.location ?? null,
    /** The topic and department as the agent confirmed or corrected them (decision, else a redraft); null until then. */
    agentTopic: enquiry.decision?.topic?.topic ?? enquiry.agentTopic?.topic ?? null,
    agentDepartment: enquiry.decision?.topic?.department ?? enquiry.agentTopic?.department ?? null,
    crossDepartmental: enquiry.decision?.topic?.crossDepartmental ?? enquiry.agentTopic?.crossDepartmental ?? false,
    /** A decision is recorded but has not resumed the workflow yet: retry the same decision. */
    resumePending: enquiry.resumePending !== undefined,
    degraded: enquiry.degraded ?? false,
    receivedAt: enquiry.receivedAt,
    ageMinutes: Math.max(0, Math.round((now.getTime() - Date.parse(enquiry.receivedAt)) / 60_000)),
    manualReason: enquiry.manualReason ?? null,
  };
}

export type EnquirySummary = ReturnType<typeof summaryOf>;
