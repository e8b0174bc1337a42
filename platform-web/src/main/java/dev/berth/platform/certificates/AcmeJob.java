package dev.berth.platform.certificates;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.InterruptableJob;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.scheduling.quartz.QuartzJobBean;

/**
 * Quartz's tick for route certificates, every minute on one instance of the cluster and on demand
 * ({@link CertificateManager#ensureSoon()}): keeps a certificate for every routed host. Interrupted
 * when the platform stops (an order may wait minutes for a CA or the edges), which then releases the
 * host it was ordering.
 */
@DisallowConcurrentExecution
public class AcmeJob extends QuartzJobBean implements InterruptableJob {
    static final JobKey JOB = JobKey.jobKey("acme-certificates");
    private final CertificateManager manager;
    private final ObjectProvider<RoutedHosts> routed;
    private volatile Thread running;

    /** Spring's job factory creates each run's instance with its dependencies. */
    public AcmeJob(CertificateManager manager, ObjectProvider<RoutedHosts> routed) {
        this.manager = manager;
        this.routed = routed;
    }

    @Override
    protected void executeInternal(JobExecutionContext context) {
        // Until the integrator says which hosts are routed, there is nothing to order.
        var hosts = routed.getIfAvailable();
        if (hosts == null) return;
        running = Thread.currentThread();
        try {
            manager.ensure(hosts.hosts());
        } finally {
            running = null;
            Thread.interrupted(); // the pool's thread goes back clean
        }
    }

    @Override
    public void interrupt() {
        var thread = running;
        if (thread != null) thread.interrupt();
    }
}
