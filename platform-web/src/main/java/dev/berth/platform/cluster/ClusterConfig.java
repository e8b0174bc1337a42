package dev.berth.platform.cluster;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** This instance's identity on the cluster channel. */
@Configuration
public class ClusterConfig {
    @Bean
    public ClusterInstance clusterInstance() {
        return ClusterInstance.random();
    }
}
