// What the correlator needs from enrichment and catalogs, as narrow interfaces so tests and the worker can
// hand in the real implementations (electron/core/enrich, electron/core/correlate/catalog) or small fakes.

import type { GeoInfo } from '../enrich/geo-enricher';

export type { GeoInfo };

export interface GeoLookup {
  lookup(ip: string): GeoInfo | null;
  readonly sources: unknown[];
}

export interface PrivilegeClass {
  category: string;
  title: string;
  weight: number;
  attack: { id: string; name: string }[];
}

export interface PrivilegeCatalog {
  version: string;
  classify(service: string | null, action: string): PrivilegeClass | null;
}

export interface VendorDirectory {
  vendorOf(accountId: string): string | null;
}
