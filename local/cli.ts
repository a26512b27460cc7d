/**
 * `npm run assist -- <command>`: the operator CLI over the same domain code the Lambdas run.
 *   redact [--json]   text on stdin → redacted text (or { text, entities })
 *   openapi           the review API's OpenAPI 3.1 document (committed as events/openapi.json)
 *   help
 */
import { readFileSync } from 'node:fs';
import { createRedactor } from '../shared/domain/redaction/index.ts';
import { FileKnowledgeBase } from '../shared/adapters/local/file-knowledge-base.ts';
import { KNOWLEDGE_DIR } from './paths.ts';
import { reviewApiOpenApi } from '../events/openapi.ts';

const [command = 'help', ...rest] = process.argv.slice(2);
const flag = (name: string) => rest.includes(`--${name}`);

async function main(): Promise<number> {
  switch (command) {
    case 'redact': {
      const knowledge = await FileKnowledgeBase.load(KNOWLEDGE_DIR);
      const redactor = createRedactor({ publicNumbers: knowledge.publicContactNumbers() });
      const result = redactor.redact(readFileSync(0, 'utf8'));
      process.stdout.write(flag('json') ? `${JSON.stringify(result)}\n` : result.text);
      return 0;
    }
    case 'openapi':
      process.stdout.write(`${JSON.stringify(reviewApiOpenApi(), null, 2)}\n`);
      return 0;
    case 'help':
      console.log('usage: npm run assist -- <redact [--json] | openapi | help>');
      return 0;
    default:
      console.error(`unknown command "${command}"; try: npm run assist -- help`);
      return 2;
  }
}

process.exitCode = await main();
