import type { Node } from 'constructs';
import { DEFAULT_QUIET_HOURS, parseQuietHours } from '../../shared/domain/sms/policy.ts';

/** Where `npm start` serves the console; trusted by the user pool and the API only with `-c allowLocalConsole=true`. */
export const LOCAL_CONSOLE_ORIGIN = 'http://localhost:3000';

export type Stage = 'development' | 'production';

/** The deploy parameters (`cdk deploy -c name=value`), read and checked in one place. */
export interface DeploymentContext {
  /** `production` refuses development conveniences and requires an SMS sender identity. Default `development`. */
  stage: Stage;
  /** The sending phone number or pool (AWS End User Messaging SMS); scopes the send permission to it. */
  smsOriginationIdentityArn: string | undefined;
  /** Cognito hosted UI domain prefix. */
  cognitoDomainPrefix: string;
  /** Trust `LOCAL_CONSOLE_ORIGIN` as a sign-in callback and CORS origin (development deployments only). */
  allowLocalConsole: boolean;
  /** Custom domain of the console (and the API behind it) with an ACM certificate in us-east-1: enforces TLS 1.2+. */
  consoleDomain: { domainName: string; certificateArn: string } | undefined;
  /** SMS quiet hours, "HH:MM-HH:MM" Hong Kong time (send-sms's SMS_QUIET_HOURS); checked here so a bad window fails synth. */
  smsQuietHours: string;
}

const text = (node: Node, name: string): string | undefined => {
  const value: unknown = node.tryGetContext(name);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`context ${name} must be a string`);
  return value;
};

const flag = (node: Node, name: string): boolean => {
  const value: unknown = node.tryGetContext(name);
  return value === true || value === 'true';
};

/** Reads the context; throws (so synthesis fails) on a combination that must not reach an account. */
export function readDeploymentContext(node: Node): DeploymentContext {
  const stageValue = text(node, 'stage') ?? 'development';
  if (stageValue !== 'development' && stageValue !== 'production') throw new Error(`context stage must be "development" or "production", not "${stageValue}"`);
  const stage: Stage = stageValue;
  const smsOriginationIdentityArn = text(node, 'smsOriginationIdentityArn');
  const allowLocalConsole = flag(node, 'allowLocalConsole');
  if (stage === 'production' && !smsOriginationIdentityArn) {
    throw new Error('a production deployment needs the SMS sender identity: -c smsOriginationIdentityArn=arn:aws:sms-voice:<region>:<account>:phone-number/<id> (or pool/<id>)');
  }
  if (smsOriginationIdentityArn && !/^arn:aws[a-z-]*:sms-voice:[a-z0-9-]+:\d{12}:(phone-number|pool|sender-id)\/\S+$/.test(smsOriginationIdentityArn)) {
    throw new Error('context smsOriginationIdentityArn must be the ARN of an AWS End User Messaging SMS phone number, pool or sender id');
  }
  if (stage === 'production' && allowLocalConsole) throw new Error('allowLocalConsole is for development deployments only');
  const domainName = text(node, 'consoleDomainName');
  const certificateArn = text(node, 'consoleCertificateArn');
  if (Boolean(domainName) !== Boolean(certificateArn)) throw new Error('give consoleDomainName and consoleCertificateArn together (the certificate must be in us-east-1 for CloudFront)');
  if (certificateArn && !/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/\S+$/.test(certificateArn)) {
    throw new Error('context consoleCertificateArn must be an ACM certificate ARN in us-east-1 (CloudFront uses certificates from there only)');
  }
  const smsQuietHours = text(node, 'smsQuietHours') ?? DEFAULT_QUIET_HOURS;
  parseQuietHours(smsQuietHours, 'context smsQuietHours');
  return {
    stage,
    smsOriginationIdentityArn,
    smsQuietHours,
    cognitoDomainPrefix: text(node, 'cognitoDomainPrefix') ?? 'assist-1823-console',
    allowLocalConsole,
    consoleDomain: domainName && certificateArn ? { domainName, certificateArn } : undefined,
  };
}
