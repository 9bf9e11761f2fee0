/** The account id inside an ARN (`arn:aws:iam::111122223333:role/x` → `111122223333`), or null. */
export function accountOfArn(arn: string | null): string | null {
  if (!arn) return null;
  const m = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):/.exec(arn);
  return m ? m[1]! : null;
}

/**
 * The role ARN behind an assumed-role session ARN:
 * `arn:aws:sts::111122223333:assumed-role/Admin/alice` → `arn:aws:iam::111122223333:role/Admin`.
 * Role paths are not in the session ARN, so roles are compared by account and name (see roleKey).
 */
export function roleOfSession(sessionArn: string | null): string | null {
  if (!sessionArn) return null;
  const m = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\//.exec(sessionArn);
  return m ? `arn:${m[1]}:iam::${m[2]}:role/${m[3]}` : null;
}

/** A role's identity without its path: `111122223333:Admin`, so session issuers and requested ARNs meet. */
export function roleKey(roleArn: string | null): string | null {
  if (!roleArn) return null;
  const m = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  return m ? `${m[1]}:${m[2]}` : null;
}

/** The display name of a role ARN (`Admin`). */
export function roleName(roleArn: string | null): string | null {
  return roleArn ? roleArn.split('/').pop() ?? null : null;
}
