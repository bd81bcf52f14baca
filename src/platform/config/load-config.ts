import { err, ok, type Result } from '../../core/contracts/result.ts'
import { SETTINGS, type Setting, type SettingName, type SettingValue } from './settings.ts'

export type Config<N extends SettingName> = { readonly [K in N]: SettingValue<K> }

/** Raw values as they arrive: flags by setting name (commander's camelCase) and the process environment. */
export interface ConfigSources {
  readonly flags: Readonly<Record<string, unknown>>
  readonly env: Readonly<Record<string, string | undefined>>
}

/**
 * Resolves and validates the named settings once, at start-up. The error names every bad setting
 * by its flag and environment variable and says what was expected.
 */
export function loadConfig<N extends SettingName>(
  names: readonly N[],
  sources: ConfigSources,
): Result<Config<N>> {
  const values: Record<string, unknown> = {}
  const problems: string[] = []
  for (const name of names) {
    const setting: Setting = SETTINGS[name]
    const flagValue = sources.flags[name]
    // An empty environment variable counts as unset (`FOO=` in a ConfigMap or compose file); an
    // empty flag is a value, so `--cors-origin ''` is refused rather than read as the default.
    const envValue = sources.env[setting.env]
    const raw = flagValue ?? (envValue === '' ? undefined : envValue)
    const input = typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : raw
    const parsed = setting.schema.safeParse(input)
    if (parsed.success) {
      values[name] = parsed.data
    } else {
      const shown = setting.isSecret === true ? '(hidden)' : JSON.stringify(raw)
      const why = parsed.error.issues.map((issue) => issue.message).join('; ')
      problems.push(`--${setting.flag} / ${setting.env} = ${shown}: ${why}`)
    }
  }
  return problems.length === 0
    ? ok(values as Config<N>)
    : err(`invalid configuration:\n  ${problems.join('\n  ')}`)
}

/** Values of settings marked secret, so that loggers can redact them. */
export function secretValues(config: Readonly<Record<string, unknown>>): string[] {
  return Object.entries(SETTINGS as Record<string, Setting>)
    .filter(([name, setting]) => setting.isSecret === true && typeof config[name] === 'string')
    .map(([name]) => config[name] as string)
}

/**
 * `text` with every secret (as is and URL-encoded) replaced by [REDACTED]: for what a command prints
 * outside its logger, such as a provider's error echoing a request URL with its API key.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  const forms = secrets
    .filter((secret) => secret.length >= 4)
    .flatMap((secret) => [secret, encodeURIComponent(secret)])
  return forms.reduce((redacted, secret) => redacted.split(secret).join('[REDACTED]'), text)
}
