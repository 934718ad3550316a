// Lifetimes as a person types them: 90 (seconds), 90s, 30m, 1h, 7d.

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** Seconds for `text`, or null when it is not a positive whole number with an optional unit. */
export function parseTtl(text: string): number | null {
  const match = /^(\d{1,9})([smhd]?)$/.exec(text.trim().toLowerCase());
  if (match === null) return null;
  const seconds = Number(match[1]) * (UNIT_SECONDS[match[2] || "s"] ?? 1);
  return seconds > 0 && Number.isSafeInteger(seconds) ? seconds : null;
}

/** A duration in seconds the short way round: 45s, 30m, 1h 30m, 7d 2h. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const parts: string[] = [];
  const days = Math.floor(s / 86400);
  const hours = Math.floor((s % 86400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  if (days > 0) parts.push(`${days}d`);
  if (hours > 0) parts.push(`${hours}h`);
  if (minutes > 0 && days === 0) parts.push(`${minutes}m`);
  return parts.join(" ");
}
