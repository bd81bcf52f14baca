#!/usr/bin/env node
import { Command } from 'commander'
import { registerTopicsCommand } from './services/topics/command.ts'
import { registerFetchCommands } from './services/fetcher/command.ts'
import { registerProcessCommand } from './services/processor/command.ts'
import { registerTrainCommand } from './services/trainer/command.ts'
import { registerServeCommand } from './services/predictor/command.ts'
import { registerRunCommand } from './services/run/command.ts'
import { registerEvaluateCommand } from './services/evaluate/command.ts'
import { registerBridgeCommand } from './services/bridge/command.ts'

const program = new Command('quotecast')
  .description(
    'Streaming stock prediction: quotes → Kafka → bars and features → online models → calibrated predictions',
  )
  .showHelpAfterError()
  // A usage error (unknown command or flag, missing value) exits 2 like a bad setting; help exits 0.
  // Set before the commands are added, which inherit it.
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2))

registerRunCommand(program)
registerTopicsCommand(program)
registerFetchCommands(program)
registerProcessCommand(program)
registerTrainCommand(program)
registerServeCommand(program)
registerEvaluateCommand(program)
registerBridgeCommand(program)

// `run` is the default command, so commander would hand an unknown command to it as an argument.
const [first] = process.argv.slice(2)
const isCommand = (name: string): boolean =>
  name === 'help' || program.commands.some((command) => command.name() === name)
if (first !== undefined && !first.startsWith('-') && !isCommand(first))
  program.error(`error: unknown command '${first}'`, { code: 'commander.unknownCommand' })

await program.parseAsync(process.argv)
