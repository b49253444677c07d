package com.acme.warehouse.common.job;

import com.acme.warehouse.common.config.AppConfig;
import com.acme.warehouse.common.config.ConfigReader;

/**
 * Builds a job from configuration. Reads and validates the job's own settings through the reader,
 * recording every problem there rather than throwing, so that all problems of all selected jobs are
 * reported together. Runs before any SparkSession exists.
 */
@FunctionalInterface
public interface JobFactory {
  Job create(ConfigReader config, AppConfig app);
}
