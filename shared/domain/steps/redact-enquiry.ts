import type { StepInput } from '../../../events/workflow.ts';
import type { Clock } from '../../ports/clock.ts';
import type { EnquiryStore } from '../../ports/enquiry-store.ts';
import type { PersonalDataRedactor } from '../../ports/personal-data-redactor.ts';
import { ValidationError } from '../errors.ts';
import { accepts } from './step-status.ts';

// Its own module (not with classification in analysis.ts) so the redact Lambda bundles neither the locator
// nor the script converter it needs (test/unit/public-hotlines.test.ts checks the bundle).
export interface RedactDeps {
  store: EnquiryStore;
  redactor: PersonalDataRedactor;
  clock: Clock;
}

/** Replaces personal data in the raw text; from here on only the redacted text is read by anything. */
export async function redactEnquiry(input: StepInput, deps: RedactDeps): Promise<{ entityCount: number }> {
  const contact = await deps.store.getContact(input.enquiryId);
  if (!contact?.rawText) throw new ValidationError([{ field: 'rawText', problem: `enquiry ${input.enquiryId} has no text to redact` }]);
  const { text, entities } = deps.redactor.redact(contact.rawText);
  await deps.store.changeStatus({
    enquiryId: input.enquiryId,
    expectedStatus: accepts(['received', 'transcribed'], 'redacted'),
    to: 'redacted',
    actor: 'workflow',
    at: deps.clock.now().toISOString(),
    patch: {
      redactedText: text,
      redactedEntities: entities.map(({ type, start, end, verified }) => ({ type, start, end, ...(verified === undefined ? {} : { verified }) })),
    },
  });
  return { entityCount: entities.length };
}

