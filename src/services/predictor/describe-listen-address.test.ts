import assert from 'node:assert/strict'
import { test } from 'node:test'
import { describeListenAddress } from './describe-listen-address.ts'

test('the bound address is shown as it is, with a URL to open it at', () => {
  const cases = [
    [{ address: '127.0.0.1', family: 'IPv4', port: 8080 }, 'http://127.0.0.1:8080', '127.0.0.1:8080'],
    [{ address: '::1', family: 'IPv6', port: 80 }, 'http://[::1]:80', '[::1]:80'],
    [
      { address: '0.0.0.0', family: 'IPv4', port: 8080 },
      'http://localhost:8080',
      '0.0.0.0:8080 (every interface)',
    ],
    [{ address: '::', family: 'IPv6', port: 1 }, 'http://localhost:1', '[::]:1 (every interface)'],
  ] as const
  for (const [address, url, boundTo] of cases)
    assert.deepEqual(describeListenAddress(address), { url, boundTo }, address.address)
})
