package com.acme.warehouse.jobs;

import com.acme.warehouse.common.job.JobDefinition;
import com.acme.warehouse.common.job.JobRegistry;
import com.acme.warehouse.common.publish.PublishJob;
import com.acme.warehouse.common.quality.QualityReportJob;
import com.acme.warehouse.jobs.agents.gold.AgentsDimensionsJob;
import com.acme.warehouse.jobs.agents.gold.AgentsFactsJob;
import com.acme.warehouse.jobs.agents.gold.GoldDailyPerformanceJob;
import com.acme.warehouse.jobs.agents.silver.SilverAgentsJob;
import com.acme.warehouse.jobs.agents.silver.SilverApprovalsJob;
import com.acme.warehouse.jobs.agents.silver.SilverRecordsJob;
import com.acme.warehouse.jobs.bronze.BronzeIngestJob;
import com.acme.warehouse.jobs.commerce.gold.CommerceDimensionsJob;
import com.acme.warehouse.jobs.commerce.gold.GoldGmvJob;
import com.acme.warehouse.jobs.commerce.gold.GoldOrderLinesJob;
import com.acme.warehouse.jobs.commerce.silver.SilverEntityJob;
import com.acme.warehouse.jobs.commerce.silver.SilverOrdersJob;
import com.acme.warehouse.jobs.mentoring.gold.GoldReportsJob;
import com.acme.warehouse.jobs.mentoring.gold.MentoringDimensionsJob;
import com.acme.warehouse.jobs.mentoring.gold.MentoringFactsJob;
import com.acme.warehouse.jobs.mentoring.silver.SilverEventsJob;
import com.acme.warehouse.jobs.mentoring.silver.SilverMentorsJob;
import com.acme.warehouse.jobs.mentoring.silver.SilverSessionsJob;
import com.acme.warehouse.jobs.mentoring.silver.SilverUsersJob;
import com.acme.warehouse.jobs.report.RunReportJob;
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
    jobs.add(RunReportJob.definition());
    jobs.addAll(BronzeIngestJob.definitions(config));
    jobs.add(SilverUsersJob.definition());
    jobs.add(SilverMentorsJob.definition());
    jobs.add(SilverEventsJob.definition());
    jobs.add(SilverSessionsJob.definition());
    jobs.add(MentoringDimensionsJob.definition());
    jobs.add(MentoringFactsJob.definition());
    jobs.add(GoldReportsJob.definition());
    jobs.addAll(SilverEntityJob.definitions());
    jobs.add(SilverOrdersJob.definition());
    jobs.add(CommerceDimensionsJob.definition());
    jobs.add(GoldOrderLinesJob.definition());
    jobs.add(GoldGmvJob.definition());
    jobs.add(SilverAgentsJob.definition());
    jobs.addAll(SilverRecordsJob.definitions());
    jobs.add(SilverApprovalsJob.definition());
    jobs.add(AgentsDimensionsJob.definition());
    jobs.add(AgentsFactsJob.definition());
    jobs.add(GoldDailyPerformanceJob.definition());
    jobs.addAll(PublishJob.definitions(jobs));
    return new JobRegistry(jobs);
  }
}
