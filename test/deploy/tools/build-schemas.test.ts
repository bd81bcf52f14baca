import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { strictSchema } from './build-schemas.ts'

describe('strictSchema', () => {
  const cases = [
    {
      name: 'closes an object that lists its properties',
      input: { type: 'object', properties: { a: { type: 'string' } } },
      expected: { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false },
    },
    {
      name: 'leaves oneOf branches open: they constrain, they do not list every field',
      input: {
        type: 'object',
        properties: { a: {}, b: {} },
        oneOf: [{ properties: { a: {} }, required: ['a'] }],
      },
      expected: {
        type: 'object',
        properties: { a: {}, b: {} },
        oneOf: [{ properties: { a: {} }, required: ['a'] }],
        additionalProperties: false,
      },
    },
    {
      name: 'leaves x-kubernetes-preserve-unknown-fields open',
      input: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { a: {} } },
      expected: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { a: {} } },
    },
    {
      name: 'keeps a declared additionalProperties (a map) and closes its values',
      input: { type: 'object', additionalProperties: { type: 'object', properties: { a: {} } } },
      expected: {
        type: 'object',
        additionalProperties: { type: 'object', properties: { a: {} }, additionalProperties: false },
      },
    },
    {
      name: 'closes array items, turns nullable into a null type and int-or-string into anyOf',
      input: {
        type: 'array',
        items: {
          type: 'object',
          nullable: true,
          properties: { port: { 'x-kubernetes-int-or-string': true } },
        },
      },
      expected: {
        type: 'array',
        items: {
          type: ['object', 'null'],
          properties: {
            port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
          },
          additionalProperties: false,
        },
      },
    },
    {
      name: 'does not treat data as schema (an enum value or default that looks like one)',
      input: { type: 'object', default: { properties: { a: 1 } }, enum: [{ properties: {} }] },
      expected: { type: 'object', default: { properties: { a: 1 } }, enum: [{ properties: {} }] },
    },
  ]
  for (const { name, input, expected } of cases) {
    it(name, () => {
      assert.deepEqual(strictSchema(input), expected)
    })
  }
})
