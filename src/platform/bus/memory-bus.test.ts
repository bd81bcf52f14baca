import { busContractSuite } from '../../../test/fixtures/bus/bus-contract.ts'
import { MemoryBus } from './memory-bus.ts'

busContractSuite(
  'MemoryBus',
  () => {
    const bus = new MemoryBus()
    return Promise.resolve({ bus, topicPrefix: 'contract.', cleanup: () => bus.close() })
  },
  { waitMs: 2000 },
)
