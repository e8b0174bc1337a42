package dev.berth.platform;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class BerthApplication {
    public static void main(String[] args) {
        SpringApplication.run(BerthApplication.class, args);
    }
}
