import assert from 'node:assert/strict'
import { test } from 'node:test'
import { clientKey } from './client-key.ts'

test('IPv4 counts by address, IPv6 by its /64, IPv4-mapped IPv6 as the IPv4 address', () => {
  const cases: [string, string][] = [
    ['127.0.0.1', '127.0.0.1'],
    ['203.0.113.9', '203.0.113.9'],
    ['::ffff:203.0.113.9', '203.0.113.9'],
    ['::ffff:cb00:7109', '203.0.113.9'],
    ['::1', '0:0:0:0::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['2001:db8:0:0:ffff::2', '2001:db8:0:0::/64'],
    ['2001:DB8:a:b:c:d:e:f', '2001:db8:a:b::/64'],
    ['2001:db8:a:b::', '2001:db8:a:b::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['64:ff9b::192.0.2.33', '64:ff9b:0:0::/64'],
  ]
  for (const [ip, key] of cases) assert.equal(clientKey(ip), key, ip)
})
