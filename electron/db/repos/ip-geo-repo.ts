import type Database from 'better-sqlite3';
import type { GeoInfo } from '../../../shared/domain/geo';

/** What the correlator knew about one source IP (every field null when the data has nothing for it). */
export interface IpGeoRow extends GeoInfo {
  ip: string;
}

/**
 * Replaces the case's IP table with one correlation run's lookups, in one transaction: readers see the old
 * table or the new one. Every distinct source IP of the case is written, located or not, so the table is also
 * the list of the case's IPs (the explorer's free-text search matches IPs here).
 */
export function replaceIpGeo(db: Database.Database, rows: Iterable<IpGeoRow>): number {
  const insert = db.prepare('INSERT OR REPLACE INTO ip_geo (ip, country, city, lat, lon, asn, as_org) VALUES (?, ?, ?, ?, ?, ?, ?)');
  let n = 0;
  db.transaction(() => {
    db.exec('DELETE FROM ip_geo');
    for (const r of rows) {
      insert.run(r.ip, r.country, r.city, r.lat, r.lon, r.asn, r.asOrg);
      n++;
    }
  })();
  return n;
}
