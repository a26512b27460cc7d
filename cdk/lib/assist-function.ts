import { Duration } from 'aws-cdk-lib';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { Charset, NodejsFunction, OutputFormat, type NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { memoryFor } from './function-sizing.ts';
import { stackLogGroup } from './keys.ts';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface AssistFunctionProps extends Omit<NodejsFunctionProps, 'entry' | 'runtime'> {
  /** Folder under functions/ holding handler.ts. */
  handlerFolder: string;
  /** Key that encrypts the function's log group and environment. */
  key: IKey;
}

/**
 * Every Lambda of the product: newest Node.js runtime, arm64, ESM bundle built by the local esbuild
 * (no Docker), minified with source maps, JSON logs in an encrypted log group with a retention period,
 * X-Ray active tracing (Lambda's own segments; no tracing SDK in the bundle), Powertools service name set to the
 * function folder.
 */
export class AssistFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: AssistFunctionProps) {
    const { handlerFolder: folder, key, environment, bundling, ...rest } = props;
    const logGroup = stackLogGroup(scope, `${id}Logs`, { name: `lambda/${folder}`, key, retention: RetentionDays.THREE_MONTHS });
    // Our own role instead of AWSLambdaBasicExecutionRole: it may write only to this function's log group.
    const role = new Role(scope, `${id}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);
    super(scope, id, {
      role,
      entry: join(REPO_ROOT, 'functions', folder, 'handler.ts'),
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      // Per function, from measurement (cdk/lib/function-sizing.ts).
      memorySize: memoryFor(folder),
      timeout: Duration.seconds(30),
      tracing: Tracing.ACTIVE,
      loggingFormat: LoggingFormat.JSON,
      logGroup,
      environmentEncryption: key,
      environment: {
        POWERTOOLS_SERVICE_NAME: folder,
        POWERTOOLS_METRICS_NAMESPACE: 'Assist1823',
        NODE_OPTIONS: '--enable-source-maps',
        ...environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        minify: true,
        sourceMap: true,
        // Mappings only: stack traces still name our files and lines, and Node (--enable-source-maps) reads and
        // parses a fifth of the map at every cold start (the sources' text stays in the repository).
        sourcesContent: false,
        target: 'node24',
        mainFields: ['module', 'main'],
        // Keep CJK text as UTF-8 instead of \uXXXX escapes: the Chinese-aware bundles shrink by ~40% (bench).
        charset: Charset.UTF8,
        // Some dependencies still call require(); give the ESM bundle one.
        banner: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
        ...bundling,
      },
      ...rest,
    });
  }
}
