import { LOG4J_VERSION, MAVEN_DEPENDENCY_PLUGIN_VERSION, SLF4J_VERSION } from './kafka-version.ts'

function dependency(groupId: string, artifactId: string, version: string): string {
  return `    <dependency>
      <groupId>${groupId}</groupId>
      <artifactId>${artifactId}</artifactId>
      <version>${version}</version>
    </dependency>`
}

/** A throwaway pom whose only job is `copy-dependencies` of the broker, the tools and a Log4j2 backend. */
export function kafkaJarsPom(kafkaVersion: string, outputDirectory: string): string {
  const dependencies = [
    dependency('org.apache.kafka', 'kafka_2.13', kafkaVersion),
    dependency('org.apache.kafka', 'kafka-tools', kafkaVersion),
    dependency('org.slf4j', 'slf4j-api', SLF4J_VERSION),
    dependency('org.apache.logging.log4j', 'log4j-api', LOG4J_VERSION),
    dependency('org.apache.logging.log4j', 'log4j-core', LOG4J_VERSION),
    dependency('org.apache.logging.log4j', 'log4j-slf4j2-impl', LOG4J_VERSION),
  ]
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <groupId>quotecast</groupId>
  <artifactId>kafka-jars</artifactId>
  <version>${kafkaVersion}</version>
  <packaging>pom</packaging>
  <dependencies>
${dependencies.join('\n')}
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-dependency-plugin</artifactId>
        <version>${MAVEN_DEPENDENCY_PLUGIN_VERSION}</version>
        <configuration>
          <outputDirectory>${outputDirectory}</outputDirectory>
          <includeScope>runtime</includeScope>
        </configuration>
      </plugin>
    </plugins>
  </build>
</project>
`
}
