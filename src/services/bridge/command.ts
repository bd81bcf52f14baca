import type { Command } from 'commander'
import { addSettingOptions, resolveSettings } from '../../platform/config/setting-options.ts'
import { runService, SERVICE_SETTINGS } from '../../platform/service-shell.ts'
import { runBridge } from './run-bridge.ts'

const NAMES = [...SERVICE_SETTINGS, 'stockDetailsTopic', 'partitions', 'exactlyOnce'] as const

export function registerBridgeCommand(program: Command): void {
  const command = program
    .command('bridge')
    .description(
      "the original project's stock-details messages → quotes, one per stock, exactly once (bridge consumer group)",
    )
    .action(async () => {
      const config = await resolveSettings(command, NAMES)
      await runService('bridge', config, (context) =>
        runBridge({
          ...context,
          topicPrefix: config.topicPrefix,
          stockDetailsTopic: config.stockDetailsTopic,
          partitions: config.partitions,
          isExactlyOnce: config.exactlyOnce,
          onReady: () => context.health.setReady(true),
        }),
      )
    })
  addSettingOptions(command, NAMES)
}
