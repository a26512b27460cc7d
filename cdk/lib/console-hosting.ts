import { CfnOutput, DockerImage, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AllowedMethods,
  Distribution,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { cpSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './assist-function.ts';

export interface ConsoleDeploymentProps {
  apiUrl: string;
  userPool: UserPool;
  client: UserPoolClient;
  /** Cognito hosted UI domain prefix (context `cognitoDomainPrefix`). */
  cognitoDomainPrefix: string;
}

/**
 * The review console for staff: static files in a private S3 bucket, served only through CloudFront with
 * origin access control, HTTPS only, strict security headers; sign-in through the Cognito hosted UI with
 * the authorization-code + PKCE flow (config.json tells the page where).
 */
export class ConsoleHosting extends Construct {
  readonly distribution: Distribution;
  readonly site: Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const region = Stack.of(this).region;
    const logs = new Bucket(this, 'CdnLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // CloudFront standard logs are delivered with ACLs.
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(logs).acknowledge({ id: 'AwsSolutions-S1', reason: 'This bucket receives CloudFront access logs; logging it to itself would loop' });

    // The console holds no data: its bucket uses S3-managed keys so CloudFront's OAC can read it without KMS grants.
    const site = (this.site = new Bucket(this, 'Site', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'site/',
      removalPolicy: RemovalPolicy.DESTROY,
    }));

    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: '1823 Assist console security headers',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          // Hosts by pattern: the API and the distribution refer to each other (CORS), so no exact URL here.
          contentSecurityPolicy: `default-src 'self'; connect-src 'self' https://*.execute-api.${region}.amazonaws.com https://*.auth.${region}.amazoncognito.com; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'`,
          override: true,
        },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, preload: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
        xssProtection: { protection: true, modeBlock: true, override: true },
      },
    });

    // S3 with OAC has no directory index: the hosted UI returns to /callback, which is callback/index.html.
    const rewrite = new CloudFrontFunction(this, 'CallbackRewrite', {
      comment: 'Serves callback/index.html for /callback (Cognito hosted UI redirect)',
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(
        "function handler(event) { var r = event.request; if (r.uri === '/callback' || r.uri === '/callback/') { r.uri = '/callback/index.html'; } return r; }",
      ),
    });
    this.distribution = new Distribution(this, 'Cdn', {
      comment: '1823 Assist review console',
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_200,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cdn/',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(site),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        responseHeadersPolicy: headers,
        functionAssociations: [{ function: rewrite, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
    });
    const acknowledge = (rule: string, reason: string) => Validations.of(this.distribution).acknowledge({ id: `AwsSolutions-${rule}`, reason });
    acknowledge('CFR1', 'Staff work from Hong Kong and on duty travel; access is controlled by Cognito sign-in with MFA, not geography');
    acknowledge('CFR2', 'Static files only; every API call is authorised by the Cognito JWT authorizer. Attach the organisation WAF web ACL at deploy if required');
    acknowledge('CFR4', 'The default CloudFront certificate fixes the policy at TLSv1; deploy with a custom domain and ACM certificate (minimumProtocolVersion TLSv1.2_2021) to enforce TLS 1.2+');

    new CfnOutput(this, 'ConsoleUrl', { value: this.url });
  }

  get url(): string {
    return `https://${this.distribution.distributionDomainName}`;
  }

  /** Deploys the built console and the config.json that points it at the API and the hosted UI. */
  deploy(props: ConsoleDeploymentProps): void {
    new BucketDeployment(this, 'Deploy', {
      destinationBucket: this.site,
      distribution: this.distribution,
      sources: [
        Source.asset(join(REPO_ROOT, 'local', 'console'), {
          // Built by the local esbuild at synth time (no Docker): the same build `npm start` serves.
          bundling: {
            image: DockerImage.fromRegistry('unused-local-bundling'),
            local: {
              tryBundle(outputDir: string) {
                execFileSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'local', 'console', 'build.ts')], { cwd: REPO_ROOT, stdio: 'ignore' });
                cpSync(join(REPO_ROOT, 'local', 'console', 'dist'), outputDir, { recursive: true });
                return true;
              },
            },
          },
        }),
        Source.jsonData('config.json', {
          mode: 'cognito',
          apiUrl: props.apiUrl,
          region: props.userPool.stack.region,
          userPoolId: props.userPool.userPoolId,
          clientId: props.client.userPoolClientId,
          authDomain: `https://${props.cognitoDomainPrefix}.auth.${props.userPool.stack.region}.amazoncognito.com`,
        }),
      ],
    });
  }
}
