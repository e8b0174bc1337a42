package dev.berth.platform.certificates;

import dev.berth.platform.audit.AuditLog;
import dev.berth.platform.repositories.SecretBox;
import dev.berth.platform.teams.TeamLookup;
import dev.berth.registry.network.AddressPolicy;
import java.time.Clock;
import java.util.Set;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Route certificates: the manager with the integrator's seams ({@link EdgeAddresses},
 * {@link EdgeReadiness}, {@link RoutedHosts}, {@link AppRoutes}; until they exist, no edge, no
 * route), uploads, and {@link AcmeJob} every minute on the platform's clustered Quartz.
 */
@Configuration
@EnableConfigurationProperties(AcmeProperties.class)
public class CertificatesConfig {
    private static final System.Logger LOG = System.getLogger(CertificatesConfig.class.getName());

    @Bean
    HostResolver acmeHostResolver(AcmeProperties properties) {
        return new JdkHostResolver(properties.dnsServer());
    }

    @Bean
    CertificateManager certificateManager(AcmeStore acme, UploadedCertificateStore uploads, SecretBox box,
                                          AcmeProperties properties, AddressPolicy policy, HostResolver resolver,
                                          ObjectProvider<EdgeAddresses> edges, ObjectProvider<EdgeReadiness> readiness,
                                          ApplicationEventPublisher events, Clock clock, ObjectProvider<Scheduler> scheduler) {
        return new CertificateManager(acme, uploads, box, properties, policy, resolver,
                () -> edges.getIfAvailable(() -> Set::of).addresses(),
                challenge -> readiness.getIfAvailable(() -> c -> false).serving(challenge),
                events, clock, () -> triggerSoon(scheduler));
    }

    @Bean
    CertificateUploads certificateUploads(UploadedCertificateStore store, CertificateManager manager,
                                          ObjectProvider<AppRoutes> routes, TeamLookup teams, SecretBox box, AuditLog audit,
                                          ApplicationEventPublisher events, Clock clock) {
        return new CertificateUploads(store, manager, (team, app) -> routes.getIfAvailable(() -> (t, a) -> Set.of()).hosts(team, app),
                teams, box, audit, events, clock);
    }

    @Bean
    JobDetail acmeCertificatesJob() {
        return JobBuilder.newJob(AcmeJob.class).withIdentity(AcmeJob.JOB).storeDurably().build();
    }

    @Bean
    Trigger acmeCertificatesTrigger(JobDetail acmeCertificatesJob) {
        return TriggerBuilder.newTrigger().forJob(acmeCertificatesJob).withIdentity("acme-certificates")
                .withSchedule(SimpleScheduleBuilder.repeatMinutelyForever()).build();
    }

    /** From a thread of its own: callers may be in an after-commit callback, whose connection the job store must not reuse. */
    private static void triggerSoon(ObjectProvider<Scheduler> scheduler) {
        Thread.ofVirtual().name("acme-trigger").start(() -> {
            try {
                scheduler.getObject().triggerJob(AcmeJob.JOB);
            } catch (SchedulerException | RuntimeException e) {
                // The minutely tick still runs it.
                LOG.log(System.Logger.Level.DEBUG, "could not trigger the ACME job now: " + e.getMessage());
            }
        });
    }
}
