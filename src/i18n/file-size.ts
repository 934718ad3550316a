// A file's size for people: "512 bytes", "38.5 kB", "5.2 MB" ("5,2 Mo" in French), in decimal units
// (1 kB = 1000 bytes, as the unit names say). Intl only, so the page script shows sizes exactly as
// the server's pages do.

const UNITS = [
  ["megabyte", 1e6],
  ["kilobyte", 1e3],
] as const;

export function fileSize(bytes: number, locale: string): string {
  for (const [unit, size] of UNITS) {
    // 999,950 bytes would round to "1,000 kB": that is already "1 MB".
    if (bytes >= size * 0.99995) {
      const format = new Intl.NumberFormat(locale, { style: "unit", unit, maximumFractionDigits: 1 });
      return format.format(bytes / size);
    }
  }
  return new Intl.NumberFormat(locale, { style: "unit", unit: "byte", unitDisplay: "long" }).format(bytes);
}
