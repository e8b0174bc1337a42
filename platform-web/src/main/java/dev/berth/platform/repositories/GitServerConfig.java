package dev.berth.platform.repositories;

import dev.berth.gitsync.hosted.GitHttpService;
import dev.berth.gitsync.hosted.HostedRepositories;
import dev.berth.platform.security.CallerResolver;
import dev.berth.platform.security.ProblemWriter;
import dev.berth.platform.security.TokenPasswordProvider;
import dev.berth.platform.tokens.TokenService;
import dev.berth.platform.users.UserStore;
import jakarta.servlet.http.HttpServlet;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.DefaultAuthenticationEventPublisher;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.core.userdetails.UserDetailsService;

/**
 * Git over smart HTTP at {@code /git/TEAM/NAME.git}: {@link GitRouteFilter} refuses paths that are
 * not canonical, then Basic auth with a password or an API token, then {@link GitAccessFilter} for
 * team roles, then JGit's servlet with {@link PushReview} as the gate for pushes (which checks the
 * push permission again). All three decide from the same {@link dev.berth.gitsync.hosted.GitRoute}.
 */
@Configuration
@EnableConfigurationProperties(GitProperties.class)
public class GitServerConfig {
    static final String REALM = "Berth";

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

    @Bean
    @Order(5)
    SecurityFilterChain git(HttpSecurity http, UserDetailsService users, PasswordEncoder encoder, TokenService tokens,
                            UserStore userStore, ApplicationEventPublisher events, ProblemWriter problems)
            throws Exception {
        var passwords = new DaoAuthenticationProvider(users);
        passwords.setPasswordEncoder(encoder);
        var manager = new ProviderManager(new TokenPasswordProvider(tokens, userStore), passwords);
        manager.setAuthenticationEventPublisher(new DefaultAuthenticationEventPublisher(events));
        // Every request the container routes to the git servlet, however its path is spelled, and every
        // raw path under /git/ (GitRouteFilter has already refused the spellings where the two differ).
        return http.securityMatcher(GitRequests::isGit)
                .authenticationManager(manager)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(c -> c.disable())
                .requestCache(c -> c.disable())
                // The challenge is written here rather than with sendError: an error dispatch would pass
                // through the dashboard's chain and turn git's 401 into a redirect to the login page.
                .httpBasic(b -> b.authenticationEntryPoint((request, response, e) -> {
                    response.setHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\"");
                    problems.write(request, response, 401, "Unauthorized",
                            "authentication required: your Berth username with your password or an API token");
                }))
                .authorizeHttpRequests(a -> a.anyRequest().authenticated())
                .build();
    }
}
