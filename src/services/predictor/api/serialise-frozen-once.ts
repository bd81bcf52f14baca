import type { FastifySerializerCompiler } from 'fastify'

/**
 * Wraps a serializer compiler so that a frozen response, which cannot change, is validated and
 * serialised once and then answered from that JSON for as long as the object lives. Other
 * responses go through `compile`'s serializer every time.
 */
export function serialiseFrozenOnce<T>(compile: FastifySerializerCompiler<T>): FastifySerializerCompiler<T> {
  return (routeSchema) => {
    const serialise = compile(routeSchema)
    const serialised = new WeakMap<object, string>()
    return (data: unknown) => {
      if (typeof data !== 'object' || data === null || !Object.isFrozen(data)) return serialise(data)
      let json = serialised.get(data)
      if (json === undefined) {
        json = serialise(data)
        serialised.set(data, json)
      }
      return json
    }
  }
}
