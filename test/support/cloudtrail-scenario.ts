// Builds CloudTrail evidence for correlator tests: complete records as CloudTrail writes them, a realistic
// baseline of the organisation's own activity, and whatever scenario a test adds on top.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ORG = { prod: '111111111111', dev: '222222222222' };
export const IPS = {
  office: '81.2.69.142', // London, AS20712
  office2: '81.2.69.160',
  home: '86.1.2.3', // GB, AS5089 Virgin Media
  datadog: '3.80.1.1', // US, AS14618 Amazon
  datadog2: '34.228.1.1',
  github: '13.66.1.1', // US, AS8075 Microsoft (GitHub Actions runners)
  torDe: '185.220.101.4', // Berlin, AS60729
  newGb: '51.148.1.1', // London, AS13037 Zen Internet: a network the organisation never used, in its country
  volumeNl: '94.102.49.1', // Amsterdam, AS202425
};
export const DATADOG = '464622532012';
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export interface Session {
  credential: string | null;
  sessionArn: string;
  roleArn: string;
  account: string;
  principalId: string;
}

let counter = 0;
const id = (prefix: string) => `${prefix}${String(++counter).padStart(12, '0')}`;
const uuid = () => {
  const n = String(++counter).padStart(12, '0');
  return `0000${n.slice(0, 4)}-0000-4000-8000-${n}`;
};
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export class Scenario {
  readonly records: Record<string, unknown>[] = [];
  /** The scenario's "now": baselines run up to it, attacks happen after it. */
  constructor(readonly t0 = Date.UTC(2026, 9, 10, 9, 0, 0)) {}

  /** A role assumption. `views`: which accounts' logs hold it (the caller's only when it is in the org). */
  assumeRole(o: {
    at: number; callerAccount: string; callerArn?: string; callerCredential?: string | null; roleArn: string; sessionName: string;
    sourceIp: string; userAgent?: string; denied?: boolean; bothViews?: boolean; sourceIdentity?: string; omitKey?: boolean; callerSession?: Session;
  }): { eventIds: string[]; session: Session } {
    const roleAccount = o.roleArn.split(':')[4]!;
    const roleName = o.roleArn.split('/').pop()!;
    const sessionArn = `arn:aws:sts::${roleAccount}:assumed-role/${roleName}/${o.sessionName}`;
    const credential = o.denied || o.omitKey ? null : id('ASIA');
    const principalId = `AROA${roleName.toUpperCase().slice(0, 8)}:${o.sessionName}`;
    const shared = uuid();
    const base = {
      eventVersion: '1.08', eventTime: iso(o.at), eventSource: 'sts.amazonaws.com', eventName: 'AssumeRole', awsRegion: 'us-east-1',
      sourceIPAddress: o.sourceIp, userAgent: o.userAgent ?? 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64',
      requestParameters: { roleArn: o.roleArn, roleSessionName: o.sessionName, durationSeconds: 3600, ...(o.sourceIdentity ? { sourceIdentity: o.sourceIdentity } : {}) },
      responseElements: o.denied ? null : {
        credentials: { ...(credential ? { accessKeyId: credential } : {}), sessionToken: 'IQoJb3JpZ2luX2VjE'.padEnd(800, 'x'), expiration: 'Oct 10, 2026, 10:00:00 AM' },
        assumedRoleUser: { assumedRoleId: principalId, arn: sessionArn },
        ...(o.sourceIdentity ? { sourceIdentity: o.sourceIdentity } : {}),
      },
      ...(o.denied ? { errorCode: 'AccessDenied', errorMessage: `User is not authorized to perform: sts:AssumeRole on resource: ${o.roleArn}` } : {}),
      requestID: uuid(), readOnly: true, eventType: 'AwsApiCall', managementEvent: true, eventCategory: 'Management',
      resources: [{ ARN: o.roleArn, accountId: roleAccount, type: 'AWS::IAM::Role' }],
    };
    const crossAccount = o.callerAccount !== roleAccount;
    const eventIds: string[] = [];
    const callerIdentity = o.callerSession
      ? { type: 'AssumedRole', principalId: o.callerSession.principalId, arn: o.callerSession.sessionArn, accountId: o.callerSession.account, accessKeyId: o.callerSession.credential ?? '',
          sessionContext: { sessionIssuer: { type: 'Role', principalId: o.callerSession.principalId.split(':')[0], arn: o.callerSession.roleArn, accountId: o.callerSession.account, userName: o.callerSession.roleArn.split('/').pop() }, attributes: { creationDate: iso(o.at - MIN), mfaAuthenticated: 'false' }, ...(o.sourceIdentity ? { sourceIdentity: o.sourceIdentity } : {}) } }
      : { type: 'IAMUser', principalId: `AIDA${o.callerAccount}`, arn: o.callerArn ?? `arn:aws:iam::${o.callerAccount}:user/ops`, accountId: o.callerAccount, accessKeyId: o.callerCredential ?? id('AKIA') };
    if (!crossAccount || o.bothViews) {
      const eventID = uuid();
      eventIds.push(eventID);
      this.records.push({ ...base, userIdentity: callerIdentity, eventID, recipientAccountId: o.callerAccount, ...(crossAccount ? { sharedEventID: shared } : {}) });
    }
    if (crossAccount) {
      const eventID = uuid();
      eventIds.push(eventID);
      this.records.push({ ...base, userIdentity: { type: 'AWSAccount', principalId: `AIDA${o.callerAccount}`, accountId: o.callerAccount }, eventID, recipientAccountId: roleAccount, sharedEventID: shared });
    }
    return { eventIds, session: { credential, sessionArn, roleArn: o.roleArn, account: roleAccount, principalId } };
  }

  /** A federation: SAML (the organisation's SSO) or OIDC web identity (CI). */
  federate(o: { at: number; kind: 'saml' | 'oidc'; provider: string; roleArn: string; subject: string; sourceIp: string; userAgent?: string }): { eventId: string; session: Session } {
    const roleAccount = o.roleArn.split(':')[4]!;
    const roleName = o.roleArn.split('/').pop()!;
    const sessionArn = `arn:aws:sts::${roleAccount}:assumed-role/${roleName}/${o.subject}`;
    const credential = id('ASIA');
    const principalId = `AROA${roleName.toUpperCase().slice(0, 8)}:${o.subject}`;
    const eventID = uuid();
    this.records.push({
      eventVersion: '1.08',
      userIdentity: o.kind === 'saml'
        ? { type: 'SAMLUser', principalId: `${o.provider}:${o.subject}`, userName: o.subject, identityProvider: o.provider }
        : { type: 'WebIdentityUser', principalId: `${o.provider}:sts.amazonaws.com:${o.subject}`, userName: o.subject, identityProvider: o.provider },
      eventTime: iso(o.at), eventSource: 'sts.amazonaws.com', eventName: o.kind === 'saml' ? 'AssumeRoleWithSAML' : 'AssumeRoleWithWebIdentity', awsRegion: 'us-east-1',
      sourceIPAddress: o.sourceIp, userAgent: o.userAgent ?? 'Mozilla/5.0',
      requestParameters: { roleArn: o.roleArn, ...(o.kind === 'saml' ? { principalArn: o.provider } : { roleSessionName: o.subject }) },
      responseElements: { credentials: { accessKeyId: credential, sessionToken: 'x'.repeat(600), expiration: 'Oct 10, 2026, 10:00:00 AM' }, assumedRoleUser: { assumedRoleId: principalId, arn: sessionArn }, provider: o.provider },
      requestID: uuid(), eventID, readOnly: true, eventType: 'AwsApiCall', managementEvent: true, recipientAccountId: roleAccount, eventCategory: 'Management',
    });
    return { eventId: eventID, session: { credential, sessionArn, roleArn: o.roleArn, account: roleAccount, principalId } };
  }

  /** A call made with a session's credential. */
  call(o: { at: number; session: Session; source: string; action: string; sourceIp: string; readOnly?: boolean; error?: string; userAgent?: string; omitKey?: boolean }): string {
    const eventID = uuid();
    this.records.push({
      eventVersion: '1.08',
      userIdentity: {
        type: 'AssumedRole', principalId: o.session.principalId, arn: o.session.sessionArn, accountId: o.session.account,
        ...(o.omitKey || !o.session.credential ? {} : { accessKeyId: o.session.credential }),
        sessionContext: { sessionIssuer: { type: 'Role', principalId: o.session.principalId.split(':')[0], arn: o.session.roleArn, accountId: o.session.account, userName: o.session.roleArn.split('/').pop() }, attributes: { creationDate: iso(o.at - 2 * MIN), mfaAuthenticated: 'false' } },
      },
      eventTime: iso(o.at), eventSource: `${o.source}.amazonaws.com`, eventName: o.action, awsRegion: 'us-east-1', sourceIPAddress: o.sourceIp,
      userAgent: o.userAgent ?? 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64', requestParameters: {}, responseElements: null,
      ...(o.error ? { errorCode: o.error, errorMessage: 'denied' } : {}),
      requestID: uuid(), eventID, readOnly: o.readOnly ?? /^(Describe|List|Get)/.test(o.action), eventType: 'AwsApiCall', managementEvent: true,
      recipientAccountId: o.session.account, eventCategory: 'Management',
    });
    return eventID;
  }

  /** An AWS service assuming its service-linked role (never an AN1348 entry). */
  serviceAssume(at: number, service: string, roleArn: string): string {
    const eventID = uuid();
    this.records.push({
      eventVersion: '1.08', userIdentity: { type: 'AWSService', invokedBy: service }, eventTime: iso(at), eventSource: 'sts.amazonaws.com', eventName: 'AssumeRole',
      awsRegion: 'us-east-1', sourceIPAddress: service, userAgent: service, requestParameters: { roleArn, roleSessionName: 'svc' },
      responseElements: { credentials: { accessKeyId: id('ASIA'), sessionToken: 'x', expiration: 'Oct 10, 2026' }, assumedRoleUser: { assumedRoleId: 'AROASVC:svc', arn: `arn:aws:sts::${roleArn.split(':')[4]}:assumed-role/${roleArn.split('/').pop()}/svc` } },
      requestID: uuid(), eventID, readOnly: true, eventType: 'AwsApiCall', managementEvent: true, recipientAccountId: roleArn.split(':')[4], eventCategory: 'Management',
    });
    return eventID;
  }

  /**
   * The organisation's ordinary weeks before t0: staff through the org's SSO from the office and home, CI
   * through GitHub OIDC, Datadog's integration role from its usual network (with a routine privileged call
   * now and then), AWS services assuming service roles.
   */
  baseline(days = 14): this {
    const sso = `arn:aws:iam::${ORG.prod}:saml-provider/AWSSSO_0123456789abcdef_DO_NOT_DELETE`;
    for (let d = days; d >= 1; d--) {
      const day = this.t0 - d * DAY;
      for (const [i, user] of ['alice', 'bob', 'carol'].entries()) {
        const ip = i === 2 ? IPS.home : d % 2 ? IPS.office : IPS.office2;
        const { session } = this.federate({ at: day + (i + 1) * HOUR, kind: 'saml', provider: sso, roleArn: `arn:aws:iam::${ORG.prod}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_abc123`, subject: `${user}@acme.example`, sourceIp: ip });
        this.call({ at: day + (i + 1) * HOUR + 5 * MIN, session, source: 'ec2', action: 'DescribeInstances', sourceIp: ip });
        this.call({ at: day + (i + 1) * HOUR + 9 * MIN, session, source: 's3', action: 'ListBuckets', sourceIp: ip });
        if (user === 'alice') this.call({ at: day + (i + 1) * HOUR + 12 * MIN, session, source: 'iam', action: 'AttachRolePolicy', sourceIp: ip });
      }
      const ci = this.federate({ at: day + 4 * HOUR, kind: 'oidc', provider: 'token.actions.githubusercontent.com', roleArn: `arn:aws:iam::${ORG.prod}:role/github-deploy`, subject: 'GitHubActions', sourceIp: IPS.github, userAgent: 'aws-sdk-js/3.600.0' });
      this.call({ at: day + 4 * HOUR + 2 * MIN, session: ci.session, source: 'lambda', action: 'UpdateFunctionCode20150331v2', sourceIp: IPS.github, readOnly: false });
      for (const h of [1, 7, 13, 19]) {
        const dd = this.assumeRole({ at: day + h * HOUR, callerAccount: DATADOG, roleArn: `arn:aws:iam::${ORG.prod}:role/DatadogIntegrationRole`, sessionName: 'DatadogAWSIntegration', sourceIp: h % 2 ? IPS.datadog : IPS.datadog2, userAgent: 'datadog-aws-integration' });
        this.call({ at: day + h * HOUR + MIN, session: dd.session, source: 'cloudwatch', action: 'ListMetrics', sourceIp: h % 2 ? IPS.datadog : IPS.datadog2 });
        this.call({ at: day + h * HOUR + 2 * MIN, session: dd.session, source: 'ec2', action: 'DescribeInstances', sourceIp: h % 2 ? IPS.datadog : IPS.datadog2 });
      }
      this.serviceAssume(day + 5 * HOUR, 'ec2.amazonaws.com', `arn:aws:iam::${ORG.prod}:role/ec2-app-role`);
      // The dev account's own logs are in the evidence too, so it belongs to the organisation.
      const dev = this.federate({ at: day + 6 * HOUR, kind: 'saml', provider: sso, roleArn: `arn:aws:iam::${ORG.dev}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Developer_def456`, subject: 'dave@acme.example', sourceIp: IPS.office });
      this.call({ at: day + 6 * HOUR + MIN, session: dev.session, source: 'ec2', action: 'DescribeVpcs', sourceIp: IPS.office });
    }
    return this;
  }

  /** Writes the records as one JSON lines file in a fresh temp folder; returns the folder. */
  write(): string {
    const dir = mkdtempSync(join(tmpdir(), 'crossline-scenario-'));
    mkdirSync(join(dir, 'evidence'));
    writeFileSync(join(dir, 'evidence', 'cloudtrail.jsonl'), this.records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    return dir;
  }
}

export const at = { MIN, HOUR, DAY };
