// What the offline geolocation and ASN data say about one IP address: the enricher's answer, and the row the
// correlator stores per source IP (ip_geo) for the app, the map and the report.

/** What is known about one public IP address; each field is null when the data has nothing for it. */
export interface GeoInfo {
  /** ISO 3166-1 alpha-2 country code, e.g. `GB`. */
  country: string | null;
  /** City name in English. */
  city: string | null;
  /** Latitude in degrees, rounded to 4 decimals (~11 m; the data is far coarser than that). */
  lat: number | null;
  /** Longitude in degrees, rounded to 4 decimals. */
  lon: number | null;
  /** Autonomous system number, e.g. 15169. */
  asn: number | null;
  /** Organisation owning the autonomous system, e.g. `Google LLC`. */
  asOrg: string | null;
}
