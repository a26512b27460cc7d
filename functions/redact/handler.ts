import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoEnquiryStore } from '#adapters/aws/dynamo-enquiry-store.ts';
import { readPublicContactNumbers } from '#adapters/in-process/public-hotlines.ts';
import { loadGazetteer } from '#adapters/in-process/gazetteer-file.ts';
import { publicPlaceNames } from '#domain/location/gazetteer.ts';
import { loadConfig, required } from '#config';
import { createRedactor } from '#domain/redaction/index.ts';
import { withMiddleware } from '#middleware/stack.ts';
import { systemClock } from '#ports/clock.ts';
import { handleRedact } from './handle.ts';

const config = loadConfig();
// Government hotline numbers in the knowledge base are public and useful in replies: never redacted.
// Only those numbers are read from the layer, not the whole knowledge base (articles, OpenCC).
const publicNumbers = await readPublicContactNumbers(config.KNOWLEDGE_DIR);
// Estates, streets and areas a home address starts or ends with stay: they say where, not who.
const publicPlaces = publicPlaceNames(await loadGazetteer(config.KNOWLEDGE_DIR));
const deps = {
  store: new DynamoEnquiryStore(new DynamoDBClient({}), required(config.ENQUIRY_TABLE_NAME, 'ENQUIRY_TABLE_NAME'), required(config.RESTRICTED_TABLE_NAME, 'RESTRICTED_TABLE_NAME')),
  redactor: createRedactor({ publicNumbers, publicPlaces }),
  clock: systemClock,
};

export const handler = withMiddleware((event: unknown) => handleRedact(event, deps));
