import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from "node:dns";
import type { LookupFunction } from "node:net";
import { addressRange } from "./address-guard.js";

// The address check happens inside the socket's own name lookup, so the address judged is the
// address connected. Checking a name first and connecting later would resolve it twice, and a
// name whose DNS answer changes between the two (DNS rebinding, a TTL of 0) would pass the check
// with a public address and connect to 127.0.0.1. Node's net.connect skips the lookup for a
// literal IP: deliver.ts checks those itself before the request.

/** The code of the error a refused address fails the connection with. */
export const REFUSED_ADDRESS = "EWEBHOOK_REFUSED_ADDRESS";

/** A resolver shaped like dns.lookup with `all: true`; tests pass one that answers what they need. */
export type Resolver = (
  hostname: string,
  options: LookupAllOptions,
  callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

/**
 * A `lookup` for http.request: resolves every address of the name and fails with REFUSED_ADDRESS
 * when any of them is not deliverable. All, not just the first: net tries the addresses in turn
 * (autoSelectFamily), and a name that points inside at all is not a receiver's.
 */
export function createGuardedLookup(resolve: Resolver = dnsLookup): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) {
        callback(err, "", 0);
        return;
      }
      const refused = addresses.length === 0 || addresses.some((a) => addressRange(a.address) !== "unicast");
      if (refused) {
        callback(refusedAddressError(), "", 0);
        return;
      }
      if (options.all) callback(null, addresses);
      else callback(null, (addresses[0] as LookupAddress).address, (addresses[0] as LookupAddress).family);
    });
  };
}

export function refusedAddressError(): NodeJS.ErrnoException {
  // No address in the message: it may reach a delivery log, and the code is all a caller needs.
  const error: NodeJS.ErrnoException = new Error("webhook address refused");
  error.code = REFUSED_ADDRESS;
  return error;
}
