import type { Command } from 'commander'
import { addSettingOptions } from '../../platform/config/setting-options.ts'
import { runBackfillCommand } from './backfill-command.ts'
import { runFetchCommand } from './fetch-command.ts'
import { BACKFILL_SETTINGS, FETCH_SETTINGS } from './fetcher-settings.ts'

export function registerFetchCommands(program: Command): void {
  const fetch = program
    .command('fetch')
    .description(
      'fetch current quotes once and publish them (the CronJob); --watch keeps fetching on the exchange schedule',
    )
    .option(
      '--watch',
      'keep fetching on each exchange’s session schedule (replay alone: replay-speed bars per second) until stopped',
    )
    .action(async (options: { watch?: boolean }) => {
      await runFetchCommand(fetch, options.watch === true)
    })
  addSettingOptions(fetch, FETCH_SETTINGS)
  const backfill = program
    .command('backfill')
    .description(
      'publish historical bars in event-time order for initial training, idempotently (stable ids)',
    )
    .action(async () => {
      await runBackfillCommand(backfill)
    })
  addSettingOptions(backfill, BACKFILL_SETTINGS)
}
