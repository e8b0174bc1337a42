package dev.berth.platform.certificates;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.scheduling.quartz.QuartzJobBean;

/**
 * Quartz's tick for route certificates, every minute on one instance of the cluster and on demand
 * ({@link CertificateManager#ensureSoon()}): keeps a certificate for every routed host.
 */
@DisallowConcurrentExecution
public class AcmeJob extends QuartzJobBean {
    static final JobKey JOB = JobKey.jobKey("acme-certificates");
    private final CertificateManager manager;
    private final ObjectProvider<RoutedHosts> routed;

    /** Spring's job factory creates each run's instance with its dependencies. */
    public AcmeJob(CertificateManager manager, ObjectProvider<RoutedHosts> routed) {
        this.manager = manager;
        this.routed = routed;
    }

    @Override
    protected void executeInternal(JobExecutionContext context) {
        // Until the integrator says which hosts are routed, there is nothing to order.
        var hosts = routed.getIfAvailable();
        if (hosts != null) manager.ensure(hosts.hosts());
    }
}
