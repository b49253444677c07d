package com.acme.warehouse.jobs;

import com.acme.warehouse.common.job.JobDefinition;
import com.acme.warehouse.common.job.JobRegistry;
import com.acme.warehouse.common.quality.QualityReportJob;
import com.acme.warehouse.jobs.bronze.BronzeIngestJob;
import com.acme.warehouse.jobs.sampledata.GenerateSampleDataJob;
import com.acme.warehouse.jobs.snapshot.SnapshotJob;
import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;

/**
 * The single registry of every job of the suite. A job is added here, nowhere else; its declared
 * inputs and outputs feed {@code list}, {@code pipeline} and the Airflow DAG.
 */
public final class JobCatalog {
  private JobCatalog() {}

  public static JobRegistry registry(Config config) {
    List<JobDefinition> jobs = new ArrayList<>();
    jobs.add(GenerateSampleDataJob.definition());
    jobs.add(SnapshotJob.definition());
    jobs.add(QualityReportJob.definition());
    jobs.addAll(BronzeIngestJob.definitions(config));
    return new JobRegistry(jobs);
  }
}
