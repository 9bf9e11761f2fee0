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
