import { AppError } from "./errors.js";

// Like upstream classic, take the first address-looking part of each value, so "Bob <bob@x.io>"
// works; anything without one is undeliverable.
const ADDRESS = /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,63}/;

export function parseRecipients(values: string[]): string[] {
  return values.map((value) => {
    // Length first: the unanchored search is quadratic in the input, so a long value must never reach it.
    const found = value.length > 320 ? null : ADDRESS.exec(value);
    if (found === null) {
      throw new AppError("undeliverable_recipient", { address: value.slice(0, 320) });
    }
    return found[0];
  });
}

/** `foo@example.com` → `fo*****@e*****.com`: enough to recognise, not enough to harvest. */
export function maskAddress(address: string): string {
  const at = address.lastIndexOf("@");
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  const dot = domain.lastIndexOf(".");
  const tld = dot >= 0 ? domain.slice(dot) : "";
  return `${local.slice(0, 2)}*****@${domain.slice(0, 1)}*****${tld}`;
}
