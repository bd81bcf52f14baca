import type { AddressInfo } from 'node:net'

/**
 * The address a server is bound to (`0.0.0.0:8080`, `[::1]:8080`) and a URL to open it at: the
 * bound address itself, or localhost when it is bound to every interface.
 */
export function describeListenAddress(address: AddressInfo): { url: string; boundTo: string } {
  const bracketed = (host: string): string => (host.includes(':') ? `[${host}]` : host)
  const isEveryInterface = address.address === '0.0.0.0' || address.address === '::'
  const host = isEveryInterface ? 'localhost' : address.address
  return {
    url: `http://${bracketed(host)}:${address.port}`,
    boundTo: `${bracketed(address.address)}:${address.port}${isEveryInterface ? ' (every interface)' : ''}`,
  }
}
