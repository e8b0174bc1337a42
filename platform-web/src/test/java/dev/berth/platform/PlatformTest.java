package dev.berth.platform;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base for tests against the whole platform on a real server port and a real PostgreSQL. All
 * subclasses share one database and one application context; tests create their own uniquely
 * named users and teams.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, classes = BerthApplication.class)
@Import(PlatformTest.Clocks.class)
public abstract class PlatformTest {
    public static final String ADMIN_PASSWORD = "admin-password-for-tests";
    private static TestDatabase.Target database;

    protected static synchronized TestDatabase.Target database() {
        if (database == null) database = TestDatabase.fresh("platform");
        return database;
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        var db = database();
        registry.add("berth.database.url", db::url);
        registry.add("berth.database.user", db::user);
        registry.add("berth.database.password", db::password);
        registry.add("berth.admin.password", () -> ADMIN_PASSWORD);
    }

    @TestConfiguration
    public static class Clocks {
        @Bean
        @Primary
        MutableClock testClock() {
            return new MutableClock();
        }
    }

}
