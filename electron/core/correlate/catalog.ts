import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The editable, versioned data behind the AN1348 correlator: which API calls count as privileged (and how much),
 * one catalog per cloud (`resources/catalog/{aws,azure,gcp}-privileged.json`, the same schema and ATT&CK mapping
 * style), and which AWS account IDs belong to known third parties. They live as JSON under `resources/` so an
 * analyst can extend them without a rebuild; all are validated by hand here so a bad edit fails loudly, naming
 * the file and the entry, instead of silently scoring nothing.
 *
 * Action keys per provider:
 * - aws: `<eventSource without .amazonaws.com>:<eventName>` (`iam:CreateAccessKey`), API-version suffixes ignored;
 * - azure: the operation name (`Microsoft.Authorization/roleAssignments/write`), or `<namespace>:<operation>` for
 *   resource-log operations that carry no namespace (`Microsoft.KeyVault:SecretGet`); compared case-insensitively,
 *   since Azure writes one operation in several cases;
 * - gcp: `<serviceName without .googleapis.com>:<methodName>`, where the method may be its last dotted parts
 *   (`iam:CreateServiceAccountKey` matches `google.iam.admin.v1.CreateServiceAccountKey`,
 *   `compute:instances.setMetadata` matches `v1.compute.instances.setMetadata`); case-insensitive.
 */

/** An ATT&CK (Enterprise) technique or sub-technique. */
export interface AttackTechnique {
  id: string;
  name: string;
}

export interface PrivilegedCategory {
  title: string;
  weight: number;
  attack: AttackTechnique[];
  description: string;
}

export interface PrivilegedAction {
  category: string;
  /** Overrides the category weight. */
  weight?: number;
  /** Overrides the category techniques. */
  attack?: AttackTechnique[];
  note?: string;
}

/** What `classify` says about one call. */
export interface Classification {
  category: string;
  title: string;
  weight: number;
  attack: AttackTechnique[];
  /** The catalog key that matched, `iam:CreateAccessKey`. */
  action: string;
  note?: string;
}

export interface PrivilegedCatalog {
  /** The file it was read from. */
  file: string;
  version: string;
  provider: string;
  categories: Readonly<Record<string, PrivilegedCategory>>;
  actions: Readonly<Record<string, PrivilegedAction>>;
  contextOnly: readonly string[];
  /**
   * The privileged category of a call, or null for read-only/context calls and calls the catalog does not
   * list. `service` is the CloudTrail eventSource (`iam.amazonaws.com`) or its short form (`iam`); null when
   * the export has none, in which case the event name alone decides (highest weight wins if it is listed
   * under several services). API-version suffixes (`CreateFunction20150331`) are ignored.
   */
  classify(service: string | null, action: string): Classification | null;
  /** True when the call is listed as context only (`Describe*`, `sts:GetCallerIdentity`, ...) and not as privileged. */
  isContextOnly(service: string | null, action: string): boolean;
}

export interface KnownAccounts {
  file: string;
  version: string;
  source: string;
  licence: string;
  /** Number of distinct account IDs. */
  size: number;
  /** Number of vendor entries. */
  vendorCount: number;
  /**
   * The vendor (or AWS service, see `lookup`) owning an account ID, or null. Accepts a 12-digit ID, an ARN or
   * principal containing one (`arn:aws:iam::464622532012:root`), or an ID that lost its leading zeros in a
   * spreadsheet export (`17663287629`).
   */
  vendorOf(accountId: string): string | null;
  /** Like `vendorOf`, with the upstream `type` (`aws` for AWS's own service accounts, otherwise null). */
  lookup(accountId: string): { name: string; type: string | null } | null;
}

/** A catalog or vendor-list file that cannot be used; the message names the file and the bad entry. */
export class CatalogError extends Error {
  constructor(
    readonly file: string,
    readonly entry: string | null,
    problem: string,
  ) {
    super(`${file}: ${entry ? `${entry}: ` : ''}${problem}`);
    this.name = 'CatalogError';
  }
}

/** The clouds with a privileged-call catalog. */
export type CatalogProvider = 'aws' | 'azure' | 'gcp';
export const CATALOG_PROVIDERS: readonly CatalogProvider[] = ['aws', 'azure', 'gcp'];

export const DEFAULT_CATALOG = 'resources/catalog/aws-privileged.json';
export const DEFAULT_CATALOGS: Readonly<Record<CatalogProvider, string>> = {
  aws: DEFAULT_CATALOG,
  azure: 'resources/catalog/azure-privileged.json',
  gcp: 'resources/catalog/gcp-privileged.json',
};
export const DEFAULT_KNOWN_ACCOUNTS = 'resources/vendors/aws-known-accounts.json';

const ACTION_ID = /^[a-z0-9-]+:[A-Za-z0-9]+$/;
const CATEGORY_ID = /^[a-z0-9-]+$/;
const TECHNIQUE_ID = /^T\d{4}(\.\d{3})?$/;
const CONTEXT_PATTERN = /^([a-z0-9-]+:)?[A-Za-z0-9]+\*?$/;

/** How each provider's action keys and context-only patterns are written (see the header comment). */
const KEY_SYNTAX: Record<CatalogProvider, { action: RegExp; actionHelp: string; context: RegExp; contextHelp: string }> = {
  aws: {
    action: ACTION_ID,
    actionHelp: 'action ids must match ^[a-z0-9-]+:[A-Za-z0-9]+$ (eventSource short name, colon, eventName)',
    context: CONTEXT_PATTERN,
    contextHelp: 'must be an event name or service:eventName, optionally ending in *',
  },
  azure: {
    action: /^microsoft\.[a-z0-9.]+(?:(?:\/[a-z0-9.-]+)+|:[a-z0-9]+)$/i,
    actionHelp: 'Azure action ids are operation names (Microsoft.Authorization/roleAssignments/write) or <namespace>:<operation> (Microsoft.KeyVault:SecretGet)',
    context: /^\*?[A-Za-z0-9.\/:-]+\*?$/,
    contextHelp: 'must be an operation name, optionally starting or ending with * (*/read)',
  },
  gcp: {
    action: /^[a-z0-9-]+:[A-Za-z0-9._]+$/,
    actionHelp: 'GCP action ids must match ^[a-z0-9-]+:[A-Za-z0-9._]+$ (serviceName without .googleapis.com, colon, methodName or its last dotted parts)',
    context: /^([a-z0-9-]+:)?\*?[A-Za-z0-9._]+\*?$/,
    contextHelp: 'must be a method name or service:method, optionally starting or ending with *',
  },
};
const ACCOUNT_ID = /^\d{12}$/;
const MAX_WEIGHT = 40;
/** `CreateFunction20150331`, `UpdateFunctionCode20150331v2`, `UpdateDistribution2020_05_31`. */
const API_VERSION_SUFFIX = /(?:\d{8}(?:v\d+)?|\d{4}_\d{2}_\d{2})$/;

/**
 * The repository (or packaged app) root: this module sits at `electron/core/correlate/` in source and in
 * `out/<entry>/` once bundled, and `resources/` is a sibling of both `electron/` and `out/`.
 */
function appRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [resolve(here, '..', '..', '..'), resolve(here, '..', '..')];
  return candidates.find((c) => existsSync(join(c, 'resources'))) ?? candidates[0]!;
}

function resolveFile(file: string | undefined, fallback: string): string {
  if (file === undefined) return join(appRoot(), fallback);
  return resolve(file);
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CatalogError(file, null, `cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new CatalogError(file, null, `is not valid JSON (${(err as Error).message})`);
  }
}

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Small helpers that throw a CatalogError pointing at `entry` in `file`. */
function checker(file: string) {
  const fail = (entry: string | null, problem: string): never => {
    throw new CatalogError(file, entry, problem);
  };
  const object = (v: unknown, entry: string): Obj => (isObject(v) ? v : fail(entry, `must be an object, got ${describe(v)}`));
  const string = (v: unknown, entry: string, nonEmpty = true): string =>
    typeof v === 'string' && (!nonEmpty || v.trim() !== '') ? v : fail(entry, `must be a ${nonEmpty ? 'non-empty ' : ''}string, got ${describe(v)}`);
  const weight = (v: unknown, entry: string): number =>
    typeof v === 'number' && Number.isFinite(v) && v >= 1 && v <= MAX_WEIGHT ? v : fail(entry, `must be a number from 1 to ${MAX_WEIGHT}, got ${describe(v)}`);
  const onlyKeys = (o: Obj, allowed: readonly string[], entry: string): void => {
    const extra = Object.keys(o).filter((k) => !allowed.includes(k));
    if (extra.length) fail(entry, `unknown field${extra.length > 1 ? 's' : ''} ${extra.map((k) => JSON.stringify(k)).join(', ')} (allowed: ${allowed.join(', ')})`);
  };
  const attack = (v: unknown, entry: string): AttackTechnique[] => {
    if (!Array.isArray(v) || v.length === 0) fail(entry, `must be a non-empty array of {id, name}, got ${describe(v)}`);
    return (v as unknown[]).map((t, i) => {
      const at = `${entry}[${i}]`;
      const o = object(t, at);
      onlyKeys(o, ['id', 'name'], at);
      const id = string(o.id, `${at}.id`);
      if (!TECHNIQUE_ID.test(id)) fail(`${at}.id`, `"${id}" is not an ATT&CK technique id (T1234 or T1234.567)`);
      return { id, name: string(o.name, `${at}.name`) };
    });
  };
  return { fail, object, string, weight, onlyKeys, attack };
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

/** `iam.amazonaws.com` → `iam`; `iam` stays; China partition `*.amazonaws.com.cn` too. */
export function serviceShortName(service: string | null | undefined): string | null {
  if (service === null || service === undefined) return null;
  const s = service.trim().toLowerCase().replace(/\.amazonaws\.com(\.cn)?$/, '');
  return s === '' ? null : s;
}

function nameVariants(action: string): string[] {
  const a = action.trim();
  const stripped = a.replace(API_VERSION_SUFFIX, '');
  return stripped !== a && stripped !== '' ? [a, stripped] : [a];
}

/**
 * Reads and validates one provider's privileged-call catalog (default: the shipped
 * `resources/catalog/<provider>-privileged.json`; without a provider, AWS's).
 */
export function loadPrivilegedCatalog(file?: string, provider: CatalogProvider = 'aws'): PrivilegedCatalog {
  const path = resolveFile(file, DEFAULT_CATALOGS[provider]);
  return parsePrivilegedCatalog(readJson(path), path, file === undefined ? provider : undefined);
}

/** The shipped catalogs of every provider, keyed by provider. */
export function loadPrivilegedCatalogs(): Record<CatalogProvider, PrivilegedCatalog> {
  return { aws: loadPrivilegedCatalog(undefined, 'aws'), azure: loadPrivilegedCatalog(undefined, 'azure'), gcp: loadPrivilegedCatalog(undefined, 'gcp') };
}

/**
 * Validates an already-parsed catalog; `file` only names it in errors. The catalog says which provider it is for
 * (`"provider"`), and its name must be `<provider>-privileged`; `expected` additionally pins the provider.
 */
export function parsePrivilegedCatalog(data: unknown, file: string, expected?: CatalogProvider): PrivilegedCatalog {
  const c = checker(file);
  const root = c.object(data, '(top level)');
  c.onlyKeys(root, ['catalog', 'version', 'provider', 'description', '$comment', 'categories', 'actions', 'contextOnly'], '(top level)');
  const name = c.string(root.catalog, 'catalog');
  const declared = typeof root.provider === 'string' && (CATALOG_PROVIDERS as readonly string[]).includes(root.provider) ? (root.provider as CatalogProvider) : null;
  const kind: CatalogProvider = expected ?? declared ?? 'aws';
  if (name !== `${kind}-privileged`) c.fail('catalog', `expected "${kind}-privileged", got ${describe(name)}`);
  const version = c.string(root.version, 'version');
  const provider = c.string(root.provider, 'provider');
  if (provider !== kind) c.fail('provider', `expected "${kind}", got ${describe(provider)}`);
  const syntax = KEY_SYNTAX[kind];
  if (root.description !== undefined) c.string(root.description, 'description', false);

  const categories: Record<string, PrivilegedCategory> = {};
  const rawCategories = c.object(root.categories, 'categories');
  if (Object.keys(rawCategories).length === 0) c.fail('categories', 'must define at least one category');
  for (const [id, raw] of Object.entries(rawCategories)) {
    const at = `categories["${id}"]`;
    if (!CATEGORY_ID.test(id)) c.fail(at, 'category ids must match ^[a-z0-9-]+$');
    const o = c.object(raw, at);
    c.onlyKeys(o, ['title', 'weight', 'attack', 'description'], at);
    categories[id] = {
      title: c.string(o.title, `${at}.title`),
      weight: c.weight(o.weight, `${at}.weight`),
      attack: c.attack(o.attack, `${at}.attack`),
      description: c.string(o.description, `${at}.description`, false),
    };
  }

  const actions: Record<string, PrivilegedAction> = {};
  const seenLower = new Map<string, string>();
  const rawActions = c.object(root.actions, 'actions');
  for (const [id, raw] of Object.entries(rawActions)) {
    const at = `actions["${id}"]`;
    if (!syntax.action.test(id)) c.fail(at, syntax.actionHelp);
    const twin = seenLower.get(id.toLowerCase());
    if (twin) c.fail(at, `duplicates "${twin}" (ids are matched case-insensitively)`);
    seenLower.set(id.toLowerCase(), id);
    const o = c.object(raw, at);
    c.onlyKeys(o, ['category', 'weight', 'attack', 'note'], at);
    const category = c.string(o.category, `${at}.category`);
    if (!Object.hasOwn(categories, category)) c.fail(`${at}.category`, `"${category}" is not a defined category (known: ${Object.keys(categories).join(', ')})`);
    const action: PrivilegedAction = { category };
    if (o.weight !== undefined) action.weight = c.weight(o.weight, `${at}.weight`);
    if (o.attack !== undefined) action.attack = c.attack(o.attack, `${at}.attack`);
    if (o.note !== undefined) action.note = c.string(o.note, `${at}.note`, false);
    actions[id] = action;
  }

  const contextOnly: string[] = [];
  if (root.contextOnly !== undefined) {
    if (!Array.isArray(root.contextOnly)) c.fail('contextOnly', `must be an array of strings, got ${describe(root.contextOnly)}`);
    (root.contextOnly as unknown[]).forEach((p, i) => {
      const at = `contextOnly[${i}]`;
      const pattern = c.string(p, at);
      if (!syntax.context.test(pattern)) c.fail(at, `"${pattern}" ${syntax.contextHelp}`);
      if (!pattern.endsWith('*') && !pattern.startsWith('*')) {
        // An exact context-only entry that is also listed as privileged is a contradiction, not an exception.
        const same = (a: string, b: string) => (kind === 'aws' ? a === b : a.toLowerCase() === b.toLowerCase());
        const clash = Object.keys(actions).find((id) => (pattern.includes(':') || kind === 'azure' ? same(id, pattern) : same(id.slice(id.indexOf(':') + 1), pattern)));
        if (clash) c.fail(at, `"${pattern}" is also listed as privileged in actions["${clash}"]`);
      }
      contextOnly.push(pattern);
    });
  }

  if (kind === 'aws') return buildCatalog(file, version, provider, categories, actions, contextOnly);
  return buildCloudCatalog(kind, file, version, categories, actions, contextOnly);
}

/** `compute.googleapis.com` → `compute`; `Microsoft.Authorization` → `microsoft.authorization`. */
function cloudServiceName(service: string | null | undefined): string | null {
  if (service === null || service === undefined) return null;
  const s = service.trim().toLowerCase().replace(/\.googleapis\.com$/, '');
  return s === '' ? null : s;
}

/**
 * The match candidates of a GCP method, most specific first: `v1.compute.instances.setMetadata` →
 * itself, `compute.instances.setmetadata`, `instances.setmetadata`, `setmetadata` (lowercased).
 */
function methodSuffixes(method: string): string[] {
  const m = method.trim().toLowerCase();
  const out = [m];
  for (let i = m.indexOf('.'); i >= 0; i = m.indexOf('.', i + 1)) out.push(m.slice(i + 1));
  return out.filter((x) => x !== '');
}

/**
 * Lookup tables of a catalog's actions: by `service:name` (lowercase) and by name alone, where several
 * services share a name the heaviest first (what an event without a service most likely was).
 */
function indexActions(actions: Record<string, PrivilegedAction>, categories: Record<string, PrivilegedCategory>): { byKey: Map<string, string>; byName: Map<string, string[]> } {
  const byKey = new Map<string, string>();
  const byName = new Map<string, string[]>();
  const weightOf = (id: string): number => actions[id]!.weight ?? categories[actions[id]!.category]!.weight;
  for (const id of Object.keys(actions)) {
    byKey.set(id.toLowerCase(), id);
    const colon = id.indexOf(':');
    if (colon >= 0) {
      const name = id.slice(colon + 1).toLowerCase();
      byName.set(name, [...(byName.get(name) ?? []), id]);
    }
  }
  for (const ids of byName.values()) ids.sort((a, b) => weightOf(b) - weightOf(a) || a.localeCompare(b));
  return { byKey, byName };
}

/** Azure and GCP catalogs: the same categories and weights, provider-specific matching of operation names. */
function buildCloudCatalog(
  kind: Exclude<CatalogProvider, 'aws'>,
  file: string,
  version: string,
  categories: Record<string, PrivilegedCategory>,
  actions: Record<string, PrivilegedAction>,
  contextOnly: string[],
): PrivilegedCatalog {
  const { byKey, byName } = indexActions(actions, categories);

  const candidates = (service: string | null, action: string): string[] => {
    const svc = cloudServiceName(service);
    const a = action.trim().toLowerCase();
    if (kind === 'azure') return svc === null ? [a] : [a, `${svc}:${a}`];
    return methodSuffixes(action).map((m) => (svc === null ? m : `${svc}:${m}`));
  };
  const find = (service: string | null, action: string): string | null => {
    for (const key of candidates(service, action)) {
      const id = byKey.get(key);
      if (id) return id;
      if (!key.includes(':') && kind === 'gcp') {
        const ids = byName.get(key);
        if (ids?.length) return ids[0]!;
      }
    }
    // Azure resource-log operations without a namespace (SecretGet) when the service is unknown.
    if (kind === 'azure' && cloudServiceName(service) === null) return byName.get(action.trim().toLowerCase())?.[0] ?? null;
    return null;
  };
  const patterns = contextOnly.map((p) => {
    const colon = kind === 'gcp' ? p.indexOf(':') : -1;
    const service = colon >= 0 ? p.slice(0, colon).toLowerCase() : null;
    const body = (colon >= 0 ? p.slice(colon + 1) : p).toLowerCase();
    const prefix = body.endsWith('*') ? body.slice(0, -1) : null;
    const suffix = body.startsWith('*') ? body.slice(1) : null;
    return { service, prefix, suffix, exact: prefix === null && suffix === null ? body : null };
  });
  const matches = (p: (typeof patterns)[number], text: string) =>
    p.exact !== null ? p.exact === text : p.prefix !== null ? text.startsWith(p.prefix) : text.endsWith(p.suffix!);

  return {
    file,
    version,
    provider: kind,
    categories,
    actions,
    contextOnly,
    classify: (service, action) => classifyAction(find, actions, categories, service, action),
    isContextOnly(service, action) {
      if (typeof action !== 'string' || action.trim() === '' || find(service, action)) return false;
      const svc = cloudServiceName(service);
      const texts = kind === 'azure' ? [action.trim().toLowerCase()] : methodSuffixes(action);
      return patterns.some((p) => (p.service === null || p.service === svc) && texts.some((t) => matches(p, t)));
    },
  };
}

/** The catalog entry an action matches, with its category's title, weight and ATT&CK techniques; null if none. */
function classifyAction(
  find: (service: string | null, action: string) => string | null,
  actions: Record<string, PrivilegedAction>,
  categories: Record<string, PrivilegedCategory>,
  service: string | null,
  action: string,
): Classification | null {
  if (typeof action !== 'string' || action.trim() === '') return null;
  const id = find(service, action);
  if (!id) return null;
  const a = actions[id]!;
  const cat = categories[a.category]!;
  const result: Classification = { category: a.category, title: cat.title, weight: a.weight ?? cat.weight, attack: a.attack ?? cat.attack, action: id };
  if (a.note !== undefined) result.note = a.note;
  return result;
}

function buildCatalog(
  file: string,
  version: string,
  provider: string,
  categories: Record<string, PrivilegedCategory>,
  actions: Record<string, PrivilegedAction>,
  contextOnly: string[],
): PrivilegedCatalog {
  const { byKey, byName } = indexActions(actions, categories);

  const patterns = contextOnly.map((p) => {
    const colon = p.indexOf(':');
    const service = colon >= 0 ? p.slice(0, colon) : null;
    const body = (colon >= 0 ? p.slice(colon + 1) : p).toLowerCase();
    return { service, prefix: body.endsWith('*') ? body.slice(0, -1) : null, exact: body.endsWith('*') ? null : body };
  });

  const find = (service: string | null, action: string): string | null => {
    const svc = serviceShortName(service);
    for (const name of nameVariants(action)) {
      const lower = name.toLowerCase();
      if (svc !== null) {
        const id = byKey.get(`${svc}:${lower}`);
        if (id) return id;
      } else {
        const ids = byName.get(lower);
        if (ids?.length) return ids[0]!;
      }
    }
    return null;
  };

  return {
    file,
    version,
    provider,
    categories,
    actions,
    contextOnly,
    classify: (service, action) => classifyAction(find, actions, categories, service, action),
    isContextOnly(service, action) {
      if (typeof action !== 'string' || action.trim() === '' || find(service, action)) return false;
      const svc = serviceShortName(service);
      return nameVariants(action).some((name) => {
        const lower = name.toLowerCase();
        return patterns.some((p) => (p.service === null || p.service === svc) && (p.exact !== null ? p.exact === lower : lower.startsWith(p.prefix!)));
      });
    },
  };
}

/** Reads and validates the known third-party AWS accounts (default `resources/vendors/aws-known-accounts.json`). */
export function loadKnownAccounts(file?: string): KnownAccounts {
  const path = resolveFile(file, DEFAULT_KNOWN_ACCOUNTS);
  return parseKnownAccounts(readJson(path), path);
}

/** Validates an already-parsed vendor list; `file` only names it in errors. */
export function parseKnownAccounts(data: unknown, file: string): KnownAccounts {
  const c = checker(file);
  const root = c.object(data, '(top level)');
  c.onlyKeys(root, ['list', 'version', 'source', 'sourceFile', 'licence', '$comment', 'vendors'], '(top level)');
  const list = c.string(root.list, 'list');
  if (list !== 'aws-known-accounts') c.fail('list', `expected "aws-known-accounts", got ${describe(list)}`);
  const version = c.string(root.version, 'version');
  const source = c.string(root.source, 'source');
  const licence = c.string(root.licence, 'licence');
  if (!Array.isArray(root.vendors)) c.fail('vendors', `must be an array, got ${describe(root.vendors)}`);

  const owners = new Map<string, { name: string; type: string | null }>();
  const vendors = root.vendors as unknown[];
  vendors.forEach((raw, i) => {
    const at = `vendors[${i}]`;
    const o = c.object(raw, at);
    c.onlyKeys(o, ['name', 'accounts', 'type'], at);
    const name = c.string(o.name, `${at}.name`);
    const where = `${at} ("${name}")`;
    const type = o.type === undefined ? null : c.string(o.type, `${where}.type`);
    if (!Array.isArray(o.accounts) || o.accounts.length === 0) c.fail(`${where}.accounts`, `must be a non-empty array of 12-digit strings, got ${describe(o.accounts)}`);
    (o.accounts as unknown[]).forEach((acct, k) => {
      const id = c.string(acct, `${where}.accounts[${k}]`);
      if (!ACCOUNT_ID.test(id)) c.fail(`${where}.accounts[${k}]`, `"${id}" is not a 12-digit AWS account ID`);
      const prior = owners.get(id);
      // Upstream occasionally lists one account under two names; keep both rather than pick one.
      if (prior && prior.name !== name) owners.set(id, { name: `${prior.name} / ${name}`, type: prior.type ?? type });
      else if (!prior) owners.set(id, { name, type });
    });
  });

  const lookup = (accountId: string): { name: string; type: string | null } | null => {
    const id = normaliseAccountId(accountId);
    return id ? (owners.get(id) ?? null) : null;
  };
  return {
    file,
    version,
    source,
    licence,
    size: owners.size,
    vendorCount: vendors.length,
    vendorOf: (accountId) => lookup(accountId)?.name ?? null,
    lookup,
  };
}

/** A 12-digit account ID out of an ID, a zero-stripped ID, or an ARN/principal holding one; null otherwise. */
export function normaliseAccountId(value: string): string | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (ACCOUNT_ID.test(text)) return text;
  if (/^\d{1,11}$/.test(text)) return text.padStart(12, '0');
  const m = /(?:^|:)(\d{12})(?::|$)/.exec(text);
  return m ? m[1]! : null;
}
