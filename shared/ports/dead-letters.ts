import type { FieldProblem } from '../domain/errors.ts';

/** Where a message that can never succeed goes, with the reason, so nothing is silently dropped. */
export interface DeadLetterSink {
  reject(message: { body: string; sourceMessageId: string; problems: FieldProblem[] }): Promise<void>;
}
