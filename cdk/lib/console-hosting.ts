import { CfnOutput, DockerImage, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  SecurityPolicyProtocol,
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
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { cpSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './assist-function.ts';

export interface ConsoleHostingProps {
  /** Cognito hosted UI domain prefix: its exact host is the only other one the console may connect to. */
  cognitoDomainPrefix: string;
  /** A CLOUDFRONT-scope WAF web ACL (EdgeProtectionStack, us-east-1). */
  webAclArn?: string;
  /** Custom domain + ACM certificate (us-east-1): TLS 1.2+ for staff browsers. */
  domain?: { domainName: string; certificateArn: string };
}

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
  private readonly headers: ResponseHeadersPolicy;

  private readonly domainName: string | undefined;

  constructor(scope: Construct, id: string, props: ConsoleHostingProps) {
    super(scope, id);
    const region = Stack.of(this).region;
    this.domainName = props.domain?.domainName;
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
          // The API is served by this distribution ('self'); the hosted UI's token and revoke endpoints and the
          // pool's OpenID discovery document (cognito-idp) are the only other hosts the page may call.
          contentSecurityPolicy: `default-src 'self'; connect-src 'self' ${cognitoHostedUiUrl(props.cognitoDomainPrefix, region)} ${cognitoIssuerOrigin(region)}; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'`,
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
      ...(props.webAclArn ? { webAclId: props.webAclArn } : {}),
      ...(props.domain
        ? {
            domainNames: [props.domain.domainName],
            certificate: Certificate.fromCertificateArn(this, 'Certificate', props.domain.certificateArn),
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
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
    if (!props.webAclArn) acknowledge('CFR2', 'The web ACL lives in us-east-1 (EdgeProtectionStack, composed in cdk/bin/app.ts); this stack was synthesized without it');
    if (!props.domain) {
      acknowledge('CFR4', 'The default CloudFront certificate fixes the policy at TLSv1; deploy with -c consoleDomainName=... -c consoleCertificateArn=... (ACM, us-east-1) to enforce TLSv1.2_2021');
    }
    this.headers = headers;

    new CfnOutput(this, 'ConsoleUrl', { value: this.url });
  }

  get url(): string {
    return `https://${this.domainName ?? this.distribution.distributionDomainName}`;
  }

  /**
   * Serves the API's routes from this distribution too: one origin for the console and the API (no CORS,
   * CSP 'self'), behind the same WAF. Nothing is cached; every viewer header but Host (API Gateway needs its
   * own) reaches the API, Authorization included (allowed when caching is disabled).
   */
  addApi(api: HttpApi, paths: string[]): void {
    const origin = new HttpOrigin(`${api.apiId}.execute-api.${Stack.of(this).region}.${Stack.of(this).urlSuffix}`, {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [OriginSslPolicy.TLS_V1_2],
    });
    const patterns = [...new Set(paths.map((path) => `/${path.split('/')[1]}*`))];
    for (const pattern of patterns) {
      this.distribution.addBehavior(pattern, origin, {
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: AllowedMethods.ALLOW_ALL,
        cachePolicy: CachePolicy.CACHING_DISABLED,
        originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        responseHeadersPolicy: this.headers,
      });
    }
  }

  /** Deploys the built console and the config.json that points it at the API and the hosted UI. */
  deploy(props: ConsoleDeploymentProps): void {
    new BucketDeployment(this, 'Deploy', {
      destinationBucket: this.site,
      distribution: this.distribution,
      sources: [
        Source.asset(join(REPO_ROOT, 'console'), {
          // Built by the local esbuild at synth time (no Docker): the same build `npm start` serves.
          bundling: {
            image: DockerImage.fromRegistry('unused-local-bundling'),
            local: {
              tryBundle(outputDir: string) {
                execFileSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'console', 'build.ts')], { cwd: REPO_ROOT, stdio: 'ignore' });
                cpSync(join(REPO_ROOT, 'console', 'dist'), outputDir, { recursive: true });
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
          authDomain: cognitoHostedUiUrl(props.cognitoDomainPrefix, props.userPool.stack.region),
          // https://cognito-idp.<region>.amazonaws.com/<pool id>: the OpenID issuer the console discovers.
          issuer: props.userPool.userPoolProviderUrl,
        }),
      ],
    });
  }
}

/** The Cognito hosted UI's origin for a domain prefix. */
export function cognitoHostedUiUrl(domainPrefix: string, region: string): string {
  return `https://${domainPrefix}.auth.${region}.amazoncognito.com`;
}

/** Where a region's user pools publish their OpenID discovery documents (each pool's issuer is a path under it). */
export function cognitoIssuerOrigin(region: string): string {
  return `https://cognito-idp.${region}.amazonaws.com`;
}
