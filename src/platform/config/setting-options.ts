import { Option, type Command } from 'commander'
import { checkSettings } from './check-settings.ts'
import { loadConfig, type Config } from './load-config.ts'
import { SETTINGS, type SettingName } from './settings.ts'

/** Adds one flag per setting, described with its environment variable. */
export function addSettingOptions(command: Command, names: readonly SettingName[]): Command {
  for (const name of names) {
    const setting = SETTINGS[name]
    command.addOption(new Option(`--${setting.flag} <value>`, `${setting.describe} [env ${setting.env}]`))
  }
  return command
}

/**
 * Validates the settings of a command once, at start-up, before anything starts: each value
 * (`loadConfig`), then what the values must be able to do together (`checkSettings`: listen
 * addresses, files, SASL credentials). A bad setting stops the process with exit code 2 and a
 * message naming the setting and what was expected.
 */
export async function resolveSettings<N extends SettingName>(
  command: Command,
  names: readonly N[],
): Promise<Config<N>> {
  const options = command.opts()
  // Commander names a flag's value after the flag (--port → port), the config after the setting.
  const flags = Object.fromEntries(names.map((name) => [name, options[camelCase(SETTINGS[name].flag)]]))
  const result = loadConfig(names, { flags, env: process.env })
  const problems = result.ok ? await checkSettings(names, result.value) : []
  if (!result.ok || problems.length > 0) {
    const message = result.ok ? `invalid configuration:\n  ${problems.join('\n  ')}` : result.error
    process.stderr.write(`quotecast ${command.name()}: ${message}\n`)
    process.exit(2)
  }
  return result.value
}

const camelCase = (flag: string): string =>
  flag.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase())
