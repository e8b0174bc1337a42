package dev.berth.platform.repositories;

import dev.berth.gitsync.hosted.GitHttpService;
import dev.berth.gitsync.hosted.HostedRepositories;
import dev.berth.platform.security.CallerResolver;
import dev.berth.platform.problem.ProblemWriter;
import jakarta.servlet.http.HttpServlet;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Git over smart HTTP at {@code /git/TEAM/NAME.git}: {@link GitRouteFilter} refuses paths that are
 * not canonical, then the git security chain of the web edge authenticates (Basic auth with a
 * password or an API token, for every request {@link GitRequests#isGit} claims), then
 * {@link GitAccessFilter} for team roles, then JGit's servlet with {@link PushReview} as the gate for
 * pushes (which checks the push permission again). All decide from the same
 * {@link dev.berth.gitsync.hosted.GitRoute}.
 */
@Configuration
@EnableConfigurationProperties(GitProperties.class)
public class GitServerConfig {
    @Bean
    HostedRepositories hostedRepositories(GitProperties properties) {
        return new HostedRepositories(properties.repositoriesDir());
    }

    @Bean
    SecretBox secretBox(GitProperties properties) {
        return SecretBox.fromFile(properties.secretKeyFile());
    }

    @Bean
    org.quartz.JobDetail repositoryPollJob() {
        return org.quartz.JobBuilder.newJob(RepositoryPollJob.class).withIdentity(RepositoryPollJob.JOB).storeDurably().build();
    }

    /** Every few seconds Quartz looks for repositories due; each repository's own interval decides whether it is. */
    @Bean
    org.quartz.Trigger repositoryPollTrigger(org.quartz.JobDetail repositoryPollJob, GitProperties properties) {
        return org.quartz.TriggerBuilder.newTrigger().forJob(repositoryPollJob).withIdentity("repository-poll")
                .withSchedule(org.quartz.SimpleScheduleBuilder.repeatSecondlyForever(properties.pollTickSeconds())).build();
    }

    @Bean
    org.quartz.JobDetail pushRecoveryJob() {
        return org.quartz.JobBuilder.newJob(PushRecoveryJob.class).withIdentity(PushRecoveryJob.JOB).storeDurably().build();
    }

    /** Pushes a stopped platform left unfinished are settled at startup too ({@link PushRecovery}); this tick catches the rest. */
    @Bean
    org.quartz.Trigger pushRecoveryTrigger(org.quartz.JobDetail pushRecoveryJob) {
        return org.quartz.TriggerBuilder.newTrigger().forJob(pushRecoveryJob).withIdentity("push-recovery")
                .withSchedule(org.quartz.SimpleScheduleBuilder.repeatSecondlyForever(30)).build();
    }

    /**
     * Whatever becomes of a push request (refused, failed, its client gone), the push lock its
     * review took is released when the request ends, after settling what the push left.
     */
    @Bean
    FilterRegistrationBean<jakarta.servlet.Filter> pushLockRelease(PushReview review) {
        var registration = new FilterRegistrationBean<jakarta.servlet.Filter>((request, response, chain) -> {
            try {
                chain.doFilter(request, response);
            } finally {
                review.finish();
            }
        });
        registration.addUrlPatterns(GitRequests.SERVLET_PATH + "/*");
        registration.setOrder(1);
        return registration;
    }

    @Bean
    ImageResolver imageResolver(GitProperties properties, dev.berth.registry.network.AddressPolicy targetPolicy) {
        return new RegistryImageResolver(properties, targetPolicy);
    }

    @Bean
    ServletRegistrationBean<HttpServlet> gitServlet(HostedRepositories repositories, PushReview review, GitProperties properties) {
        var registration = new ServletRegistrationBean<>(GitHttpService.servlet(repositories, review, properties.maxPackBytes(),
                properties.maxObjectBytes()), "/git/*");
        registration.setName("git");
        registration.setLoadOnStartup(1);
        return registration;
    }

    /** Every request, not only those mapped to {@code /git/*}: a raw path saying /git/ may be mapped elsewhere. */
    @Bean
    FilterRegistrationBean<GitRouteFilter> gitRouteFilter(ProblemWriter problems) {
        var registration = new FilterRegistrationBean<>(new GitRouteFilter(problems));
        registration.addUrlPatterns("/*");
        // Before Spring Security's chains (at -100), which are chosen by path.
        registration.setOrder(-110);
        return registration;
    }

    @Bean
    FilterRegistrationBean<GitAccessFilter> gitAccessFilter(RepositoryStore store, CallerResolver callers, ProblemWriter problems) {
        var registration = new FilterRegistrationBean<>(new GitAccessFilter(store, callers, problems));
        registration.addUrlPatterns(GitRequests.SERVLET_PATH + "/*");
        registration.setOrder(0); // after Spring Security's chain, which authenticates
        return registration;
    }
}
