// Whether an address the server listens on can be reached from other machines: decides how loudly
// --dev (authentication off) is announced.

import { isIPv4, isIPv6 } from 'node:net';

/** True for 127.0.0.0/8, ::1 and their IPv4-mapped forms; false for 0.0.0.0, :: and any other address. */
export function isLoopbackAddress(address: string): boolean {
  const ip = address.startsWith('::ffff:') && isIPv4(address.slice(7)) ? address.slice(7) : address;
  if (isIPv4(ip)) return ip.split('.')[0] === '127';
  // The URL parser writes any spelling of ::1 (0:0:0:0:0:0:0:1, ...) in its shortest form.
  if (isIPv6(ip)) return new URL(`http://[${ip}]/`).hostname === '[::1]';
  return ip === 'localhost';
}
