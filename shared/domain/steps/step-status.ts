import type { EnquiryStore } from '../../ports/enquiry-store.ts';
import type { Enquiry } from '../enquiry.ts';
import type { EnquiryStatus } from '../../vocabulary/enquiry-statuses.ts';
import { ValidationError } from '../errors.ts';

/** The enquiry a step works on; a missing one is a bad input (the step's error record names the id). */
export async function loadEnquiry(store: EnquiryStore, enquiryId: string): Promise<Enquiry> {
  const enquiry = await store.get(enquiryId);
  if (!enquiry) throw new ValidationError([{ field: 'enquiryId', problem: `no enquiry ${enquiryId}` }]);
  return enquiry;
}

/**
 * Each step accepts its own output status too, so a retried step (crash after the write) redoes its
 * work idempotently instead of failing on the status check.
 */
export const accepts = (from: EnquiryStatus[], to: EnquiryStatus): EnquiryStatus[] => [...from, to];
