import type { CorrelationSettings } from '../../../shared/domain/correlation';
import { haversineKm, networkOf, openGeoEnricher } from '../enrich/geo-enricher';
import { loadKnownAccounts, loadPrivilegedCatalogs } from './catalog';
import type { CorrelateDeps } from './correlate';

/** The shipped catalogs, vendor list and geo databases (or the analyst's own MaxMind files from settings). */
export function defaultCorrelateDeps(settings: CorrelationSettings): CorrelateDeps {
  const catalogs = loadPrivilegedCatalogs();
  return {
    catalog: catalogs.aws,
    catalogs: { azure: catalogs.azure, gcp: catalogs.gcp },
    vendors: loadKnownAccounts(),
    geo: openGeoEnricher({ cityMmdb: settings.geo.cityMmdb, asnMmdb: settings.geo.asnMmdb }),
    network: networkOf,
    haversineKm,
  };
}
