// Pure wording of the map's baseline and the import screen's staged paths (no browser): whose earlier places the
// baseline shows and whether a travel line may start there; which staged paths a refusal names, and why a path is bad.
import { expect, test } from '@playwright/test';
import { baselineScope } from '../../renderer/features/map/baseline-scope';
import { missingPathsIn, stagedPathProblem } from '../../renderer/features/import/staged-path-checks';

const finding = (provider: string, kind: string, principal: string | null, sourceAccount: string | null) => ({
  provider,
  entry: { eventId: 'e', action: 'a', principal, sourceAccount, targetAccount: null, sourceIp: null, vendor: null, kind, timeMs: 0 },
});

test("a principal's own baseline keeps its heading and its travel line", () => {
  for (const f of [
    finding('aws', 'third-party-account', '464622532012', '464622532012'),
    finding('aws', 'third-party-idp', 'arn:aws:iam::111122223333:saml-provider/Okta', null),
    finding('azure', 'guest-sign-in', 'eve@attacker.example', 'e4d3c2b1-a098-4f7e-8d6c-5b4a39281706'),
    finding('gcp', 'service-account-impersonation', 'runner@evil-corp-prod.iam.gserviceaccount.com', 'evil-corp-prod'),
  ]) {
    expect(baselineScope(f), f.entry.kind).toEqual({ title: "Principal's baseline", empty: 'No earlier activity of this principal in the evidence.', travel: true });
  }
});

test("an AWS user's finding shows its caller account's sources as the account's, with no travel line", () => {
  const scope = baselineScope(finding('aws', 'third-party-account', 'arn:aws:iam::999988887777:user/ops', '999988887777'));
  expect(scope.title).toBe("Caller account's earlier sources");
  expect(scope.travel).toBe(false);
});

test('only absolute paths are accepted as typed', () => {
  for (const ok of ['/tmp/x', 'C:\\evidence\\logs', 'D:/logs', '\\\\server\\share\\x']) expect(stagedPathProblem(ok), ok).toBeNull();
  expect(stagedPathProblem('relative/path')).toMatch(/^not absolute/);
  expect(stagedPathProblem('~/evidence')).toMatch(/~ is not expanded/);
});

test("a refusal's not-found paths are matched whole, and the unnamed rest counted", () => {
  const staged = ['/a', '/evidence/a b', '/tmp/does-not-exist', '/tmp/does-not', '/ok'];
  const r = missingPathsIn('Not found on the machine running Crossline: /a, /evidence/a b, /tmp/does-not-exist and 4 more', staged);
  expect([...r.missing].sort()).toEqual(['/a', '/evidence/a b', '/tmp/does-not-exist']);
  expect(r.unnamed).toBe(4);
  expect(missingPathsIn('Not found on the machine running Crossline: /tmp/does-not-exist', staged)).toEqual({ missing: new Set(['/tmp/does-not-exist']), unnamed: 0 });
  expect(missingPathsIn('case-gone: the case file was moved', staged).missing.size).toBe(0);
});
