import { IntakeMessageSchema } from '../../events/intake-message.ts';
import type { Clock } from '../ports/clock.ts';
import type { DeadLetterSink } from '../ports/dead-letters.ts';
import type { EnquiryStore } from '../ports/enquiry-store.ts';
import type { WorkflowStarter } from '../ports/workflow.ts';
import { newEnquiryFrom, workflowInputFor } from './enquiry.ts';
import { ValidationError, type FieldProblem } from './errors.ts';
import { parseJsonOrThrow } from './validation.ts';

export interface IntakeDeps {
  store: EnquiryStore;
  workflow: WorkflowStarter;
  deadLetters: DeadLetterSink;
  clock: Clock;
}

export interface IntakeRecord {
  body: string;
  messageId: string;
  correlationId: string;
}

export type IntakeOutcome =
  | { outcome: 'started' | 'duplicate'; enquiryId: string }
  | { outcome: 'rejected'; problems: FieldProblem[] };

/**
 * Accepts one intake message: validate, create the enquiry once, start its execution once.
 * Invalid input is dead-lettered at once with the reason (retrying cannot fix it); any other error is thrown
 * so the queue redelivers the message. Both writes are idempotent, so a redelivery after a partial success
 * finishes the job without duplicating anything.
 */
export async function acceptIntakeMessage(record: IntakeRecord, deps: IntakeDeps): Promise<IntakeOutcome> {
  let message;
  try {
    message = parseJsonOrThrow(IntakeMessageSchema, record.body);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    await deps.deadLetters.reject({ body: record.body, sourceMessageId: record.messageId, problems: error.problems });
    return { outcome: 'rejected', problems: error.problems };
  }
  const { enquiry, contact } = newEnquiryFrom(message, deps.clock.now().toISOString(), record.correlationId);
  const { created, enquiry: stored } = await deps.store.createIfAbsent(enquiry, contact);
  const { alreadyStarted } = await deps.workflow.start(workflowInputFor(stored));
  return { outcome: created || !alreadyStarted ? 'started' : 'duplicate', enquiryId: stored.enquiryId };
}
