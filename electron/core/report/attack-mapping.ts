// The ATT&CK techniques the report names for each privileged call, and the title of its category.
//
// A call is looked up in its own cloud's catalog: the AWS catalog knows no Azure or GCP operation, and falling back
// to its categories mapped an Azure runCommand to "Deploy Container" and a GCP key to "Modify Authentication
// Process: MFA". A category lists every technique any of its operations may be, so a client reading the report
// would take each of them as having happened: the report names the techniques the catalog gives the operation
// itself, and a category's only when the category names one technique (permission escalation: T1098.003).
import { CATALOG_PROVIDERS, loadPrivilegedCatalog, type AttackTechnique, type CatalogProvider, type PrivilegedCatalog } from '../correlate/catalog';

export type ReportCatalogs = Partial<Record<CatalogProvider, PrivilegedCatalog>>;

/** The shipped catalogs, each read on its own: one that cannot be read leaves its cloud's calls unmapped, not the others. */
export function loadReportCatalogs(): ReportCatalogs {
  const out: ReportCatalogs = {};
  for (const p of CATALOG_PROVIDERS) {
    try {
      out[p] = loadPrivilegedCatalog(undefined, p);
    } catch {
      // the report says "no technique named" for that cloud's calls rather than fail
    }
  }
  return out;
}

export interface CallTechniques {
  /** The category's title in the catalog ("Permission escalation"), or its id when the catalog does not define it. */
  title: string;
  /** Empty when the catalog names no single technique for the call. */
  attack: AttackTechnique[];
}

const LOG_TAMPERING: AttackTechnique = { id: 'T1562.008', name: 'Impair Defenses: Disable or Modify Cloud Logs' };

/**
 * What a call's own record shows beyond its operation. A GCP `SetIamPolicy` mostly grants roles (T1098.003), but the
 * same call is how Data Access audit logs are switched off: an `auditConfigDeltas` entry that removes a log type or
 * exempts a member from logging is T1562.008, which the report then names for that call only.
 */
export function techniquesInRecord(provider: string, action: string, raw: string | null): AttackTechnique[] {
  if (provider !== 'gcp' || !/setiampolicy$/i.test(action) || raw === null || !raw.includes('auditConfigDeltas')) return [];
  let record: unknown;
  try {
    record = JSON.parse(raw);
  } catch {
    return [];
  }
  const deltas = findArray(record, 'auditConfigDeltas', 6) ?? [];
  const impairs = deltas.some((d) => {
    const delta = d as { action?: unknown; exemptedMember?: unknown };
    return delta.action === 'REMOVE' || (delta.action === 'ADD' && typeof delta.exemptedMember === 'string' && delta.exemptedMember !== '');
  });
  return impairs ? [LOG_TAMPERING] : [];
}

/** The first array under `key` within `depth` levels (the delta sits in serviceData or metadata, by log version). */
function findArray(value: unknown, key: string, depth: number): unknown[] | null {
  if (depth < 0 || value === null || typeof value !== 'object') return null;
  const v = (value as Record<string, unknown>)[key];
  if (Array.isArray(v)) return v;
  for (const child of Object.values(value as Record<string, unknown>)) {
    const found = findArray(child, key, depth - 1);
    if (found) return found;
  }
  return null;
}

/** The techniques of one privileged call of `provider` (`category` as the correlation run recorded it). */
export function techniquesOfCall(catalogs: ReportCatalogs, provider: string, service: string | null, action: string, category: string): CallTechniques {
  const catalog = catalogs[provider as CatalogProvider];
  const cat = catalog?.categories[category];
  const title = cat?.title ?? category;
  if (!catalog) return { title, attack: [] };
  const hit = catalog.classify(service, action);
  const own = hit ? catalog.actions[hit.action]?.attack : undefined;
  if (own) return { title, attack: [...own] };
  const general = cat?.attack ?? [];
  return { title, attack: general.length === 1 ? [...general] : [] };
}

/** Category id → title for every category of the provider's catalog (the words the correlator's reasons use). */
export function categoryTitles(catalogs: ReportCatalogs, provider: string): Record<string, string> {
  const catalog = catalogs[provider as CatalogProvider];
  return catalog ? Object.fromEntries(Object.entries(catalog.categories).map(([id, c]) => [id, c.title])) : {};
}
