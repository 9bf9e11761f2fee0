// Builds Azure evidence for correlator tests: Entra ID sign-ins as Microsoft Graph writes them (/auditLogs/signIns,
// beta: every kind, with homeTenantId / resourceTenantId / crossTenantAccessType / uniqueTokenIdentifier / sessionId)
// and Azure Activity records as the REST API writes them (EventData with eventDataId, claims with tid / oid / uti / iat,
// a Started and a Succeeded record for every write), on top of a realistic baseline of the organisation's own tenant.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IPS } from './cloudtrail-scenario';

export const AZ = {
  tenant: '6f1c3a2e-8b4d-4e7a-9c15-2d3e4f5a6b7c', // the organisation's tenant
  subscription: 'b1f0c2d3-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  partner: 'c7b2d5e1-9a0f-4b7e-8c31-5d2e6f7a8b90', // a partner whose users the organisation sees every day (B2B guests)
  attacker: 'e4d3c2b1-a098-4f7e-8d6c-5b4a39281706', // a tenant never seen before
  vendor: 'a9b8c7d6-e5f4-4321-8fed-cba987654321', // owns a multi-tenant app
  msp: 'd2c3b4a5-9687-4f5e-8d3c-2b1a0f9e8d7c', // manages the subscription through Azure Lighthouse
};
export const ARM = '797f4846-ba00-4fd7-ba43-dac1f8f63013';
const GRAPH = '00000003-0000-0000-c000-000000000000';
const AZ_CLI = '04b07795-8ddb-461a-bbee-02f9e1bf7b46';
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

let counter = 0;
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
export const guid = (seed = ++counter) => `${hex(seed, 8)}-${hex(seed % 65536, 4)}-4${hex(seed % 4096, 3)}-8${hex(seed % 4096, 3)}-${hex(seed * 7919, 12).slice(-12)}`;
const uti = () => Buffer.from(`uti-${++counter}-token`).toString('base64url').slice(0, 22);
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');

export interface Identity {
  /** Object id in the resource tenant (what Activity claims call oid). */
  oid: string;
  upn: string;
  name: string;
  home: string;
  kind: 'user' | 'guest' | 'app' | 'managed';
  appId?: string;
}

/** A token an Activity record was called with. */
export interface Token {
  identity: Identity;
  /** The tenant that issued it (claims tid): the resource tenant, or the managing tenant for Lighthouse. */
  tid: string;
  uti: string | null;
  iatMs: number;
  ip: string;
  sessionId: string | null;
  /** For managed identities: the resource they belong to. */
  mirid?: string;
}

export const people = {
  alice: { oid: 'a11ce000-0000-4000-8000-000000000001', upn: 'alice@acme.example', name: 'Alice Admin', home: AZ.tenant, kind: 'user' } as Identity,
  bob: { oid: 'b0b00000-0000-4000-8000-000000000002', upn: 'bob@acme.example', name: 'Bob Builder', home: AZ.tenant, kind: 'user' } as Identity,
  /** A partner's consultant, a B2B guest in the organisation's tenant for months. */
  pat: { oid: '9a7e0000-0000-4000-8000-000000000003', upn: 'pat@partner.example', name: 'Pat Partner', home: AZ.partner, kind: 'guest' } as Identity,
  ci: { oid: 'c1c10000-0000-4000-8000-000000000004', upn: 'acme-deploy', name: 'acme-deploy', home: AZ.tenant, kind: 'app', appId: '3b245ca3-dcce-4a54-a070-49ad8de02963' } as Identity,
  vm: { oid: 'f00d0000-0000-4000-8000-000000000005', upn: 'vm-web-01', name: 'vm-web-01', home: AZ.tenant, kind: 'managed', appId: '6f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b' } as Identity,
  /** The MSP's engineer, calling through Azure Lighthouse with the MSP tenant's tokens. */
  msp: { oid: '5e5e0000-0000-4000-8000-000000000006', upn: 'ops@msp.example', name: 'MSP Operations', home: AZ.msp, kind: 'user' } as Identity,
};

export class AzureScenario {
  readonly signIns: Record<string, unknown>[] = [];
  readonly activity: Record<string, unknown>[] = [];
  constructor(readonly t0 = Date.UTC(2026, 9, 10, 9, 0, 0)) {}

  /**
   * An Entra sign-in (Graph signIn, beta). `kind` picks the log: interactive and non-interactive user sign-ins, service
   * principal and managed identity sign-ins. Returns the token it issued (null uti on failure or when `omitUti`).
   */
  signIn(o: {
    at: number; who: Identity; ip: string; kind?: 'interactive' | 'nonInteractive' | 'servicePrincipal' | 'managedIdentity'; resource?: string;
    resourceTenant?: string; crossTenantAccessType?: string; sessionId?: string; errorCode?: number; omitUti?: boolean; userAgent?: string;
  }): { id: string; token: Token } {
    const id = guid();
    const kind = o.kind ?? (o.who.kind === 'app' ? 'servicePrincipal' : o.who.kind === 'managed' ? 'managedIdentity' : 'interactive');
    const resourceTenant = o.resourceTenant ?? AZ.tenant;
    const ok = (o.errorCode ?? 0) === 0;
    const token = ok && !o.omitUti ? uti() : null;
    const sessionId = o.sessionId ?? (kind === 'interactive' ? guid() : null);
    const app = kind === 'servicePrincipal' || kind === 'managedIdentity';
    const cross = o.crossTenantAccessType ?? (o.who.home === resourceTenant ? 'none' : o.who.kind === 'guest' ? 'b2bCollaboration' : 'serviceProvider');
    const resource = o.resource ?? ARM;
    this.signIns.push({
      id,
      createdDateTime: iso(o.at),
      userDisplayName: app ? null : o.who.name,
      userPrincipalName: app ? null : o.who.upn,
      userId: app ? null : o.who.oid,
      userType: app ? null : o.who.kind === 'guest' ? 'guest' : 'member',
      appId: app ? o.who.appId : AZ_CLI,
      appDisplayName: app ? o.who.name : 'Microsoft Azure CLI',
      ipAddress: kind === 'managedIdentity' ? null : o.ip,
      clientAppUsed: app ? null : 'Mobile Apps and Desktop clients',
      correlationId: guid(),
      conditionalAccessStatus: 'notApplied',
      isInteractive: kind === 'interactive',
      riskDetail: 'none',
      riskLevelAggregated: 'none',
      resourceDisplayName: resource === ARM ? 'Windows Azure Service Management API' : 'Microsoft Graph',
      resourceId: resource,
      resourceTenantId: resourceTenant,
      homeTenantId: o.who.home,
      homeTenantName: o.who.home === AZ.tenant ? 'Acme' : 'Other',
      crossTenantAccessType: cross,
      incomingTokenType: kind === 'nonInteractive' ? 'refreshToken' : 'none',
      authenticationProtocol: 'none',
      ...(token ? { uniqueTokenIdentifier: token } : {}),
      sessionId: app ? null : sessionId,
      tokenIssuerType: 'AzureAD',
      tokenIssuerName: '',
      signInEventTypes: [{ interactive: 'interactiveUser', nonInteractive: 'nonInteractiveUser', servicePrincipal: 'servicePrincipal', managedIdentity: 'managedIdentity' }[kind]],
      servicePrincipalId: app ? o.who.oid : '',
      servicePrincipalName: app ? o.who.name : null,
      ...(kind === 'servicePrincipal' ? { servicePrincipalCredentialKeyId: guid(), clientCredentialType: 'clientSecret' } : {}),
      ...(kind === 'managedIdentity' ? { managedIdentityType: 'systemAssigned' } : {}),
      userAgent: o.userAgent ?? (app ? null : 'python/3.11.8 (Linux-6.1) AZURECLI/2.61.0'),
      status: ok ? { errorCode: 0, failureReason: null, additionalDetails: null } : { errorCode: o.errorCode, failureReason: 'Invalid username or password or Invalid on-premise username or password.', additionalDetails: null },
      location: { city: null, state: null, countryOrRegion: null },
    });
    return { id, token: { identity: o.who, tid: resourceTenant, uti: token, iatMs: o.at, ip: o.ip, sessionId: app ? null : sessionId } };
  }

  /**
   * An ARM operation on the subscription with a token: REST EventData. Writes and actions log a Started and a
   * Succeeded (or Failed) record sharing a correlationId; reads one Succeeded record. Returns the eventDataIds.
   */
  call(o: { at: number; token: Token; op: string; resource?: string; status?: 'Succeeded' | 'Failed'; correlationId?: string }): { started: string | null; done: string } {
    const { token } = o;
    const resource = o.resource ?? `/subscriptions/${AZ.subscription}/resourceGroups/prod-rg/providers/${o.op.split('/').slice(0, 2).join('/')}/prod-01`;
    const correlationId = o.correlationId ?? guid();
    const identity = token.identity;
    const claims: Record<string, string> = {
      aud: 'https://management.core.windows.net/',
      iss: `https://sts.windows.net/${token.tid}/`,
      iat: String(Math.floor(token.iatMs / 1000)),
      nbf: String(Math.floor(token.iatMs / 1000)),
      exp: String(Math.floor(token.iatMs / 1000) + 4500),
      'http://schemas.microsoft.com/identity/claims/objectidentifier': identity.oid,
      'http://schemas.microsoft.com/identity/claims/tenantid': token.tid,
      ipaddr: token.ip,
      ver: '1.0',
      ...(token.uti ? { uti: token.uti } : {}),
    };
    if (identity.kind === 'app' || identity.kind === 'managed') {
      Object.assign(claims, { appid: identity.appId!, appidacr: '2', idtyp: 'app', 'http://schemas.microsoft.com/identity/claims/identityprovider': `https://sts.windows.net/${token.tid}/` });
      if (identity.kind === 'managed') claims.xms_mirid = `/subscriptions/${AZ.subscription}/resourcegroups/prod-rg/providers/Microsoft.Compute/virtualMachines/${identity.name}`;
    } else {
      Object.assign(claims, {
        appid: AZ_CLI, appidacr: '0', idtyp: 'user', name: identity.name,
        'http://schemas.microsoft.com/claims/authnmethodsreferences': 'pwd,mfa',
        'http://schemas.microsoft.com/identity/claims/identityprovider': `https://sts.windows.net/${identity.home}/`,
        'http://schemas.microsoft.com/identity/claims/scope': 'user_impersonation',
        ...(identity.kind === 'guest' ? { unique_name: `live.com#${identity.upn}`, 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress': identity.upn } : { 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn': identity.upn }),
      });
    }
    const read = /\/read$/i.test(o.op);
    const records: string[] = [];
    const push = (status: string, at: number, eventName: string) => {
      const eventDataId = guid();
      records.push(eventDataId);
      this.activity.push({
        authorization: { action: o.op, scope: resource, evidence: { role: 'Owner', roleAssignmentScope: `/subscriptions/${AZ.subscription}`, principalId: identity.oid.replace(/-/g, ''), principalType: identity.kind === 'app' || identity.kind === 'managed' ? 'ServicePrincipal' : 'User' } },
        caller: identity.kind === 'app' || identity.kind === 'managed' ? identity.oid : identity.upn,
        channels: 'Operation',
        claims,
        correlationId,
        description: '',
        eventDataId,
        eventName: { value: eventName, localizedValue: eventName === 'BeginRequest' ? 'Begin request' : 'End request' },
        category: { value: 'Administrative', localizedValue: 'Administrative' },
        eventTimestamp: iso(at),
        id: `${resource}/events/${eventDataId}/ticks/${at * 10_000 + 621355968000000000}`,
        level: status === 'Failed' ? 'Error' : 'Informational',
        operationId: correlationId,
        operationName: { value: o.op, localizedValue: o.op },
        resourceGroupName: 'prod-rg',
        resourceProviderName: { value: o.op.split('/')[0], localizedValue: o.op.split('/')[0] },
        resourceType: { value: o.op.split('/').slice(0, 2).join('/'), localizedValue: o.op.split('/').slice(0, 2).join('/') },
        resourceId: resource,
        status: { value: status, localizedValue: status },
        subStatus: { value: status === 'Succeeded' ? (read ? 'OK' : 'Created') : status === 'Failed' ? 'Forbidden' : '', localizedValue: '' },
        submissionTimestamp: iso(at + 20_000),
        subscriptionId: AZ.subscription,
        tenantId: AZ.tenant,
        properties: {
          eventCategory: 'Administrative', entity: resource, message: o.op, hierarchy: `${AZ.tenant}/${AZ.subscription}`,
          ...(status === 'Failed' ? { statusCode: 'Forbidden', statusMessage: '{"error":{"code":"AuthorizationFailed","message":"The client does not have authorization to perform action."}}' } : { statusCode: read ? 'OK' : 'Created' }),
        },
        relatedEvents: [],
        httpRequest: { clientRequestId: guid(), clientIpAddress: token.ip, method: read ? 'GET' : o.op.endsWith('/delete') ? 'DELETE' : 'POST' },
      });
    };
    if (!read) push('Started', o.at - 1000, 'BeginRequest');
    push(o.status ?? 'Succeeded', o.at, 'EndRequest');
    return { started: read ? null : records[0]!, done: records[records.length - 1]! };
  }

  /** A Lighthouse token: the managing tenant's user calling the organisation's subscription (no sign-in in its logs). */
  lighthouseToken(at: number, ip: string, who: Identity = people.msp): Token {
    return { identity: who, tid: who.home, uti: uti(), iatMs: at, ip, sessionId: null };
  }

  /**
   * Two weeks of the organisation's own tenant: Alice and Bob sign in with the Azure CLI from the office and work
   * (reads, a role assignment now and then), with non-interactive refreshes in the same session; the CI service
   * principal deploys from GitHub's runners; a VM's managed identity reads a vault; Pat, the partner's guest, reads
   * every day from the partner's network; the MSP's engineer reads through Lighthouse from the MSP's network.
   */
  baseline(days = 14, o: { nonInteractive?: boolean } = {}): this {
    for (let d = days; d >= 1; d--) {
      const day = this.t0 - d * DAY;
      for (const [i, who] of [people.alice, people.bob].entries()) {
        const ip = d % 2 ? IPS.office : IPS.office2;
        const s = this.signIn({ at: day + (i + 1) * HOUR, who, ip });
        this.call({ at: day + (i + 1) * HOUR + 2 * MIN, token: s.token, op: 'Microsoft.Resources/subscriptions/resourceGroups/read', resource: `/subscriptions/${AZ.subscription}/resourceGroups/prod-rg` });
        this.call({ at: day + (i + 1) * HOUR + 4 * MIN, token: s.token, op: 'Microsoft.Compute/virtualMachines/read' });
        if (who === people.alice && d % 3 === 0) this.call({ at: day + (i + 1) * HOUR + 6 * MIN, token: s.token, op: 'Microsoft.Authorization/roleAssignments/write', resource: `/subscriptions/${AZ.subscription}/providers/Microsoft.Authorization/roleAssignments/${guid()}` });
        if (o.nonInteractive !== false) {
          const r = this.signIn({ at: day + (i + 2) * HOUR, who, ip, kind: 'nonInteractive', sessionId: s.token.sessionId! });
          this.call({ at: day + (i + 2) * HOUR + MIN, token: r.token, op: 'Microsoft.Storage/storageAccounts/read' });
        }
      }
      const ci = this.signIn({ at: day + 4 * HOUR, who: people.ci, ip: IPS.github });
      this.call({ at: day + 4 * HOUR + MIN, token: ci.token, op: 'Microsoft.Web/sites/write' });
      const mi = this.signIn({ at: day + 5 * HOUR, who: people.vm, ip: IPS.office });
      this.call({ at: day + 5 * HOUR + MIN, token: { ...mi.token, ip: IPS.office }, op: 'Microsoft.KeyVault/vaults/read' });
      const pat = this.signIn({ at: day + 6 * HOUR, who: people.pat, ip: IPS.home });
      this.call({ at: day + 6 * HOUR + 3 * MIN, token: pat.token, op: 'Microsoft.Compute/virtualMachines/read' });
      const msp = this.lighthouseToken(day + 7 * HOUR, IPS.datadog);
      this.call({ at: day + 7 * HOUR + MIN, token: msp, op: 'Microsoft.Resources/subscriptions/resourceGroups/read', resource: `/subscriptions/${AZ.subscription}/resourceGroups/prod-rg` });
      this.call({ at: day + 7 * HOUR + 3 * MIN, token: msp, op: 'Microsoft.Insights/metrics/read' });
    }
    return this;
  }

  /**
   * Writes the sign-ins as a Graph page and the Activity records as a REST `{"value":[…]}` page into `dir/folder`
   * (`dir` a new temp folder by default); returns `dir`.
   */
  write(dir = mkdtempSync(join(tmpdir(), 'crossline-azure-')), folder = 'evidence'): string {
    mkdirSync(join(dir, folder), { recursive: true });
    writeFileSync(join(dir, folder, 'entra-signins.json'), JSON.stringify({ '@odata.context': 'https://graph.microsoft.com/beta/$metadata#auditLogs/signIns', value: this.signIns }, null, 1));
    writeFileSync(join(dir, folder, 'azure-activity.json'), JSON.stringify({ value: this.activity }, null, 1));
    return dir;
  }
}

export { GRAPH, AZ_CLI };
export const azAt = { MIN, HOUR, DAY };

/** People from outside the organisation, for planted chains (the tests' and the multi-cloud sample's). */
export const outsiders = {
  mallory: { oid: 'e0e00000-0000-4000-8000-00000000000a', upn: 'mallory@attacker.example', name: 'Mallory', home: AZ.attacker, kind: 'user' } as Identity,
  eve: { oid: 'e0e00000-0000-4000-8000-00000000000b', upn: 'eve@attacker.example', name: 'Eve', home: AZ.attacker, kind: 'guest' } as Identity,
};

const SUB = `/subscriptions/${AZ.subscription}`;

/** At `t`: a service provider's user from a tenant never seen signs in, looks around, assigns a role and lists storage keys. */
export function serviceProviderTakeover(s: AzureScenario, t: number) {
  const signIn = s.signIn({ at: t, who: outsiders.mallory, ip: IPS.torDe, crossTenantAccessType: 'serviceProvider' });
  const look = s.call({ at: t + 2 * MIN, token: signIn.token, op: 'Microsoft.Compute/virtualMachines/read' });
  const grant = s.call({ at: t + 4 * MIN, token: signIn.token, op: 'Microsoft.Authorization/roleAssignments/write', resource: `${SUB}/providers/Microsoft.Authorization/roleAssignments/0f8fad5b-d9cb-469f-a165-70867728950e` });
  const keys = s.call({ at: t + 6 * MIN, token: signIn.token, op: 'Microsoft.Storage/storageAccounts/listKeys/action' });
  return { signIn, look, grant, keys };
}

/** At `t`: a B2B guest turns off the SIEM's diagnostic settings, then its refreshed token (same sign-in session) runs a command on a VM. */
export function guestRefreshedToken(s: AzureScenario, t: number) {
  const first = s.signIn({ at: t, who: outsiders.eve, ip: IPS.volumeNl });
  const blind = s.call({ at: t + 3 * MIN, token: first.token, op: 'Microsoft.Insights/diagnosticSettings/delete', resource: `${SUB}/providers/microsoft.insights/diagnosticSettings/to-sentinel` });
  const refresh = s.signIn({ at: t + 20 * MIN, who: outsiders.eve, ip: IPS.volumeNl, kind: 'nonInteractive', sessionId: first.token.sessionId! });
  const run = s.call({ at: t + 24 * MIN, token: refresh.token, op: 'Microsoft.Compute/virtualMachines/runCommand/action' });
  return { first, blind, refresh, run };
}
