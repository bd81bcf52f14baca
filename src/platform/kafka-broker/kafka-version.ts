/** The Apache Kafka release the project tests against: the newest 4.2.x on Maven Central. */
export const KAFKA_VERSION = '4.2.2'

/**
 * Kafka's published poms name slf4j-api 1.7 for client compatibility, but the broker distribution
 * ships slf4j 2 with the Log4j2 bridge; these pin the same pairing.
 */
export const SLF4J_VERSION = '2.0.17'
export const LOG4J_VERSION = '2.25.3'

export const MAVEN_DEPENDENCY_PLUGIN_VERSION = '3.8.1'
