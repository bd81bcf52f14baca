import type { Command } from 'commander'
import { resolveCalendars } from '../../core/schedule/resolve-calendars.ts'
import { addSettingOptions, resolveSettings } from '../../platform/config/setting-options.ts'
import { runService, SERVICE_SETTINGS } from '../../platform/service-shell.ts'
import { runTrainer } from './run-trainer.ts'

const NAMES = [...SERVICE_SETTINGS, 'exactlyOnce', 'extraClosures'] as const

export function registerTrainCommand(program: Command): void {
  const command = program
    .command('train')
    .description(
      'features → online models → predictions and model snapshots, exactly once (trainer consumer group)',
    )
    .action(async () => {
      const config = await resolveSettings(command, NAMES)
      await runService('trainer', config, (context) =>
        runTrainer({
          ...context,
          topicPrefix: config.topicPrefix,
          isExactlyOnce: config.exactlyOnce,
          calendars: resolveCalendars(config.extraClosures),
          onReady: () => context.health.setReady(true),
        }),
      )
    })
  addSettingOptions(command, NAMES)
}
