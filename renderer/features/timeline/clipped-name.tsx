// A name in a one-line cell of the timeline or the explorer. Azure operations and GCP methods share their starts
// ("Microsoft.Authorization/…", "google.iam.admin.v1.…") and differ at their ends, so where the cell is too narrow they
// lose their start behind an ellipsis ("…/roleAssignments/write"), never their end. Single words (AssumeRole) are cut
// at the end as usual. The whole name is the title (or the cell's, when it says more).
import { showBidiControls } from '../../../shared/text/bidi-controls';
import { endIsDistinctive, principalEndIsDistinctive, shortPrincipal } from '../../ui/format';

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
