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

registerRunCommand(program)
registerTopicsCommand(program)
registerFetchCommands(program)
registerProcessCommand(program)
registerTrainCommand(program)
registerServeCommand(program)
registerEvaluateCommand(program)
registerBridgeCommand(program)

await program.parseAsync(process.argv)
