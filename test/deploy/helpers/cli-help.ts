import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

export const CLI_ENTRY = 'src/cli.ts'

async function help(args: readonly string[]): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [CLI_ENTRY, ...args, '--help'], {
      timeout: 60_000,
    })
    return stdout
  } catch (error) {
    throw new Error(`node ${CLI_ENTRY} ${args.join(' ')} --help failed`, { cause: error })
  }
}

/** The commands `quotecast --help` lists, with the long options each one's own help lists. */
export async function cliCommands(): Promise<Map<string, Set<string>>> {
  const text = await help([])
  const section = text.split(/^Commands:\s*$/m)[1] ?? ''
  const names = [...section.matchAll(/^ {2}([a-z][\w-]*)/gm)]
    .map((match) => match[1])
    .filter((name): name is string => name !== undefined && name !== 'help')
  const optionsOf = async (name: string): Promise<[string, Set<string>]> => {
    const options = [...(await help([name])).matchAll(/^ {2}(?:-\w, )?(--[a-z][\w-]*)/gm)].map(
      (match) => match[1] ?? '',
    )
    return [name, new Set(options)]
  }
  return new Map(await Promise.all(names.map(optionsOf)))
}

/** A command line given to the image: the command first, then its arguments. */
export interface Invocation {
  readonly where: string
  readonly args: readonly string[]
}

/** Invocations whose command, or one of whose flags, the CLI does not have. */
export function checkInvocations(
  invocations: readonly Invocation[],
  commands: ReadonlyMap<string, ReadonlySet<string>>,
): { unknownCommands: string[]; unknownFlags: { where: string; command: string; flag: string }[] } {
  const unknownCommands: string[] = []
  const unknownFlags: { where: string; command: string; flag: string }[] = []
  for (const { where, args } of invocations) {
    const [command, ...rest] = args
    const options = command === undefined ? undefined : commands.get(command)
    if (command === undefined || options === undefined) {
      unknownCommands.push(
        `${where}: \`${args.join(' ')}\` is not a quotecast command (${[...commands.keys()].join(', ')})`,
      )
      continue
    }
    for (const flag of rest.filter((arg) => arg.startsWith('--')).map((arg) => arg.split('=')[0] ?? arg)) {
      if (!options.has(flag)) unknownFlags.push({ where, command, flag })
    }
  }
  return { unknownCommands, unknownFlags }
}

/**
 * The same as `cliCommands()`, read from the program src/cli.ts builds, in this process (one
 * import instead of a `--help` process per command; test/deploy/cli-commands.test.ts checks that
 * both agree).
 */
export async function cliCommandsInProcess(): Promise<Map<string, Set<string>>> {
  const { Command } = await import('commander')
  const registrations = await Promise.all([
    import('../../../src/services/run/command.ts').then((module) => module.registerRunCommand),
    import('../../../src/services/topics/command.ts').then((module) => module.registerTopicsCommand),
    import('../../../src/services/fetcher/command.ts').then((module) => module.registerFetchCommands),
    import('../../../src/services/processor/command.ts').then((module) => module.registerProcessCommand),
    import('../../../src/services/trainer/command.ts').then((module) => module.registerTrainCommand),
    import('../../../src/services/predictor/command.ts').then((module) => module.registerServeCommand),
    import('../../../src/services/evaluate/command.ts').then((module) => module.registerEvaluateCommand),
    import('../../../src/services/bridge/command.ts').then((module) => module.registerBridgeCommand),
  ])
  const program = new Command('quotecast')
  for (const register of registrations) register(program)
  return new Map(
    program.commands.map((command) => [
      command.name(),
      new Set([
        ...command.options.flatMap((option) => (option.long === undefined ? [] : [option.long])),
        '--help',
      ]),
    ]),
  )
}
