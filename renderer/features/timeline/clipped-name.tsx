// A name in a one-line cell of the timeline or the explorer. Azure operations and GCP methods share their starts
// ("Microsoft.Authorization/…", "google.iam.admin.v1.…") and differ at their ends, so where the cell is too narrow they
// lose their start behind an ellipsis ("…/roleAssignments/write"), never their end. Single words (AssumeRole) are cut
// at the end as usual. The whole name is the title (or the cell's, when it says more).
import type { CSSProperties } from 'react';
import { showBidiControls } from '../../../shared/text/bidi-controls';
import { endIsDistinctive, principalEndIsDistinctive, shortPrincipal } from '../../ui/format';
import { logText } from '../../ui/log-text';

export function ClippedName({ name: stored, title = stored, testId, keepEnd }: {
  name: string;
  /** `null`: the cell's own title applies. */
  title?: string | null;
  testId?: string;
  /** Whether the end stays in view when the cell is too narrow; by default, when the name is a path of parts. */
  keepEnd?: boolean;
}) {
  const name = showBidiControls(stored); // a control that reorders text is shown by its code point, in the title too
  const shownTitle = title === null ? undefined : showBidiControls(title);
  if (!(keepEnd ?? endIsDistinctive(name))) return <span className="clip-end" title={shownTitle} data-testid={testId}>{name}</span>;
  // The name is isolated left-to-right inside a right-to-left box: the box overflows (and puts its ellipsis) at its
  // start, while the name's own characters, slashes and brackets keep their order.
  return (
    <span className="clip-start" title={shownTitle} data-testid={testId} data-clip="start">
      <bdi dir="ltr">{name}</bdi>
    </span>
  );
}

/**
 * A principal in a list cell, shortened as lists show it (`role/session` for an assumed role's ARN). Who it is sits at
 * the end of a path (the session or user name after the role, "…AccessRole/maint-0917") and at the start of an address
 * (the local part and the domain, "deployer@acme-prod.iam.gservi…"), so each keeps that side when the cell is narrow.
 * The full name is the cell's title.
 */
export function PrincipalName({ name }: { name: string | null | undefined }) {
  const short = shortPrincipal(name);
  return <ClippedName name={short} title={null} testId="principal-name" keepEnd={principalEndIsDistinctive(short)} />;
}

/**
 * Where an IPv6 address is cut in two for <SourceName>: before its last group (`2a01:4f8:c17:1a2b:9e4d:55ff:fe21` and
 * `:7b3c`, `2001:db8:` and `:1`); a group of its own keeps a column of 110 px to the network's start and the host's end
 * ("2a01:4f8:…:7b3c", where two groups left "2a0…"). -1 for anything else (an IPv4 address, a service's name).
 */
export function addressTailAt(value: string): number {
  if (value.split(':').length < 3) return -1;
  return value.lastIndexOf(':', value.length - 2);
}

/**
 * A source in a list cell: an address, or the AWS service that made the call. An IPv6 address rarely fits, and both of
 * its ends count: the start names the network, the end the host (two addresses of one network differ only there; cut at
 * its end, the explorer showed them alike). Where the cell is too narrow it is cut in the middle ("2a01:4f8:…:7b3c");
 * an IPv4 address or a service's name is cut at its end as usual. The cell's title gives the whole value.
 */
export function SourceName({ value: stored }: { value: string | null }) {
  const value = logText(stored);
  const at = addressTailAt(value);
  if (at < 0) return <span className="clip-end" data-testid="source-name">{value}</span>;
  // The start gives way behind an ellipsis; the tail never shrinks. Its length in characters lets the start end on a
  // whole character (the cells are monospace), so no gap opens between the ellipsis and the tail.
  const tail = { '--tail': `${value.length - at}ch` } as CSSProperties;
  return (
    <span className="clip-middle" style={tail} data-testid="source-name" data-clip="middle">
      <span className="clip-end">{value.slice(0, at)}</span>
      <span className="clip-tail">{value.slice(at)}</span>
    </span>
  );
}
