package io.github.pgqueue.samples.jobservice.database;

import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;

/**
 * The database package as the application sees it: found by component scanning, which also finds
 * any configuration class nested in it on its own (the way a bug would slip past a test that
 * registers the configuration class alone).
 */
@Configuration(proxyBeanMethods = false)
@ComponentScan(basePackageClasses = DevelopmentDatabaseConfiguration.class)
class ScannedDatabasePackage {

}
