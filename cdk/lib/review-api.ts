import { CfnOutput, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { CorsHttpMethod, HttpApi, HttpMethod, type CfnStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { ILayerVersion } from 'aws-cdk-lib/aws-lambda';
import { RetentionDays, type LogGroup } from 'aws-cdk-lib/aws-logs';
import { CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { assistWebAcl } from './web-acl.ts';
import { stackLogGroup } from './keys.ts';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { AssistFunction } from './assist-function.ts';
import type { DataPlane } from './data-plane.ts';
import { STAFF_GROUPS } from '../../shared/vocabulary/staff-groups.ts';

export interface ReviewApiProps {
  key: IKey;
  data: DataPlane;
  knowledgeLayer: ILayerVersion;
  /** Origins allowed to call the API cross-origin (the deployed console is same-origin: none unless a local console is allowed). */
  allowedOrigins: string[];
  /** Where the hosted UI may return after sign-in (`<origin>/callback`). */
  callbackUrls: string[];
  /** Where the hosted UI may return after sign-out (`<origin>/`): must equal what the console sends as logout_uri. */
  logoutUrls: string[];
}

export const REVIEW_ROUTES: { method: HttpMethod; path: string }[] = [
  { method: HttpMethod.GET, path: '/enquiries' },
  { method: HttpMethod.GET, path: '/enquiries/{id}' },
  { method: HttpMethod.POST, path: '/enquiries/{id}/decision' },
  { method: HttpMethod.POST, path: '/enquiries/{id}/topic' },
  { method: HttpMethod.GET, path: '/incidents' },
  { method: HttpMethod.POST, path: '/incidents/{id}/apply' },
  { method: HttpMethod.POST, path: '/incidents/{id}/close' },
  { method: HttpMethod.GET, path: '/taxonomy' },
  { method: HttpMethod.GET, path: '/reports/topics' },
  { method: HttpMethod.GET, path: '/openapi.json' },
];

/** Callers' data access and erasure requests: their own function (group `privacy`), the number in the body only. */
export const PRIVACY_ROUTES: { method: HttpMethod; path: string }[] = [
  { method: HttpMethod.POST, path: '/privacy/exports' },
  { method: HttpMethod.POST, path: '/privacy/erasures' },
];

/**
 * The agents' and supervisors' HTTP API: Cognito user pool (groups `agent`, `supervisor`, MFA required),
 * an HTTP API whose every route needs a valid JWT, and the review-api function that checks groups per route.
 */
export class ReviewApi extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly api: HttpApi;
  readonly function: AssistFunction;
  /** Data access and erasure requests (group `privacy`): its own role, so review-api never holds these rights. */
  readonly privacyFunction: AssistFunction;
  /** One JSON line per request (status, route, sub; no bodies): the source of the 401/403 burst alarm. */
  readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: ReviewApiProps) {
    super(scope, id);
    this.userPool = new UserPool(this, 'Staff', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: { minLength: 14, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Sign-in, token and revoke endpoints behind a regional WAF (rate limit per address, AWS managed rules).
    const signInAcl = assistWebAcl(this, 'StaffSignInWebAcl', 'REGIONAL', 'AssistSignIn');
    new CfnWebACLAssociation(this, 'StaffSignInWaf', { resourceArn: this.userPool.userPoolArn, webAclArn: signInAcl.attrArn });
    for (const group of STAFF_GROUPS) {
      new CfnUserPoolGroup(this, `${group}Group`, { userPoolId: this.userPool.userPoolId, groupName: group });
    }
    this.client = this.userPool.addClient('Console', {
      generateSecret: false, // a browser app: authorization code + PKCE
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: props.callbackUrls,
        logoutUrls: props.logoutUrls,
      },
      // Sign-out revokes the refresh token (POST /oauth2/revoke) so a shared desk's next user cannot resume.
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      preventUserExistenceErrors: true,
    });

    this.function = new AssistFunction(this, 'ReviewApiFunction', {
      handlerFolder: 'review-api',
      key: props.key,
      description: 'Agents review drafts and decide; supervisors read reports',
      layers: [props.knowledgeLayer],
      environment: { KNOWLEDGE_DIR: '/opt/knowledge' },
    });
    // Lists, details and decisions; the caller's number only to check an SMS can be sent (never returned);
    // the task token to resume the workflow, cleared once used.
    props.data.grantEnquiryAccess(this.function, { enquiry: ['read', 'write', 'queue'], contact: ['read'], taskToken: ['read', 'write'] });
    // Incidents: list the open ones, read one and its members, close one (an agent's action).
    props.data.grantIncidentAccess(this.function, 'write');

    const accessLogs = (this.accessLogs = stackLogGroup(this, 'AccessLogs', { name: 'api/review-access', key: props.key, retention: RetentionDays.ONE_YEAR }));
    this.api = new HttpApi(this, 'Api', {
      description: '1823 Assist review API',
      defaultAuthorizer: new HttpUserPoolAuthorizer('StaffAuthorizer', this.userPool, { userPoolClients: [this.client] }),
      ...(props.allowedOrigins.length > 0
        ? {
            corsPreflight: {
              allowOrigins: props.allowedOrigins,
              allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST],
              allowHeaders: ['authorization', 'content-type'],
              maxAge: Duration.hours(1),
            },
          }
        : {}),
    });
    const integration = new HttpLambdaIntegration('ReviewApiIntegration', this.function);
    for (const route of REVIEW_ROUTES) this.api.addRoutes({ path: route.path, methods: [route.method], integration });

    this.privacyFunction = new AssistFunction(this, 'PrivacyApiFunction', {
      handlerFolder: 'privacy-api',
      key: props.key,
      description: 'Callers\' data access requests (export) and erasure of raw contact data, for the privacy group',
    });
    // Finds a caller's enquiries through the HMAC index (Query on that index only), reads them and their raw contact data,
    // writes the audit record and the erasure audit event (PutItem), replaces raw contact data with a
    // tombstone (PutItem on CONTACT#), and may start a contact record's retention; no task tokens.
    props.data.grantEnquiryAccess(this.privacyFunction, { enquiry: ['read', 'write', 'callers'], contact: ['read', 'create', 'expire'] });
    props.data.grantCallerHash(this.privacyFunction);
    const privacyIntegration = new HttpLambdaIntegration('PrivacyApiIntegration', this.privacyFunction);
    for (const route of PRIVACY_ROUTES) this.api.addRoutes({ path: route.path, methods: [route.method], integration: privacyIntegration });

    const stage = this.api.defaultStage!.node.defaultChild as CfnStage;
    stage.accessLogSettings = {
      destinationArn: accessLogs.logGroupArn,
      // Request metadata only: no bodies, no query strings, no tokens.
      format: JSON.stringify({
        requestId: '$context.requestId',
        routeKey: '$context.routeKey',
        status: '$context.status',
        sub: '$context.authorizer.claims.sub',
        latency: '$context.responseLatency',
        ip: '$context.identity.sourceIp',
      }),
    };
    stage.defaultRouteSettings = { throttlingBurstLimit: 50, throttlingRateLimit: 25 };

    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint });
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.client.userPoolClientId });
  }

  /** Deciding resumes the workflow; the grant is scoped to this state machine. */
  connectWorkflow(stateMachine: IStateMachine): void {
    stateMachine.grantTaskResponse(this.function);
  }
}
