import type { Command } from 'commander'
import { resolveBarConfig } from '../../core/bars/resolve-bar-config.ts'
import { resolveCalendars } from '../../core/schedule/resolve-calendars.ts'
import { addSettingOptions, resolveSettings } from '../../platform/config/setting-options.ts'
import { runService, SERVICE_SETTINGS } from '../../platform/service-shell.ts'
import { runProcessor } from './run-processor.ts'

const NAMES = [
  ...SERVICE_SETTINGS,
  'interval',
  'allowedLatenessMs',
  'closeOnClock',
  'closeOnSession',
  'closeGraceSec',
  'exactlyOnce',
  'extraClosures',
] as const

export function registerProcessCommand(program: Command): void {
  const command = program
    .command('process')
    .description('quotes → bars → features, exactly once (a member of the processor consumer group)')
    .action(async () => {
      const config = await resolveSettings(command, NAMES)
      const barConfig = resolveBarConfig({
        interval: config.interval,
        allowedLatenessMs: config.allowedLatenessMs,
        calendars: resolveCalendars(config.extraClosures),
      })
      if (!barConfig.ok) {
        process.stderr.write(`quotecast process: invalid configuration: ${barConfig.error}\n`)
        process.exit(2)
      }
      await runService('processor', config, (context) =>
        runProcessor({
          ...context,
          topicPrefix: config.topicPrefix,
          barConfig: barConfig.value,
          isExactlyOnce: config.exactlyOnce,
          isClosingOnClock: config.closeOnClock,
          ...(config.closeOnSession ? { closeGraceMs: config.closeGraceSec * 1000 } : {}),
          onReady: () => context.health.setReady(true),
        }),
      )
    })
  addSettingOptions(command, NAMES)
}
