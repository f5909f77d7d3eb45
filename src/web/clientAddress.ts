import { isIPv4, isIPv6 } from 'node:net';

/**
 * The client address that per-address limits count (the widget's token endpoint, code
 * lookups and new cases on the bot's own Direct Line). An IPv4 address is itself; an IPv6
 * address counts by its /64 network, since one household or phone gets a whole /64 and
 * may pick any address in it for each connection.
 */
export function limitAddress(raw: string | undefined): string {
  if (raw === undefined || raw === '') return 'unknown';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(raw);
  if (mapped !== null && isIPv4(mapped[1]!)) return mapped[1]!;
  if (isIPv4(raw)) return raw;
  if (!isIPv6(raw)) return raw;
  const [head = '', tail = ''] = raw.split('%')[0]!.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const left = groups(head);
  const right = raw.includes('::') ? groups(tail) : [];
  const missing = 8 - left.length - right.length;
  const full = [...left, ...Array<string>(Math.max(0, missing)).fill('0'), ...right];
  return `${full
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}

/** The address of the connection a request came in on, as limitAddress counts it. */
export function clientAddress(req: { socket: { remoteAddress?: string | undefined } }): string {
  return limitAddress(req.socket.remoteAddress);
}
