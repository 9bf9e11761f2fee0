import type { CorrelationSettings } from '../../../shared/domain/correlation';
import { haversineKm, networkOf, openGeoEnricher } from '../enrich/geo-enricher';
import { loadKnownAccounts, loadPrivilegedCatalog } from './catalog';
import type { CorrelateDeps } from './correlate';

/** The shipped catalog, vendor list and geo databases (or the analyst's own MaxMind files from settings). */
export function defaultCorrelateDeps(settings: CorrelationSettings): CorrelateDeps {
  return {
    catalog: loadPrivilegedCatalog(),
    vendors: loadKnownAccounts(),
    geo: openGeoEnricher({ cityMmdb: settings.geo.cityMmdb, asnMmdb: settings.geo.asnMmdb }),
    network: networkOf,
    haversineKm,
  };
}
