/** A Log4j2 properties config that sends everything the broker logs to one file. */
export function log4j2Config(logPath: string): string {
  return `status = warn
name = quotecast-kafka
appender.file.type = File
appender.file.name = FILE
appender.file.fileName = ${logPath}
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = FILE
logger.kafkaRequest.name = kafka.request.logger
logger.kafkaRequest.level = WARN
logger.stateChange.name = state.change.logger
logger.stateChange.level = WARN
`
}
