package dev.berth.testfixtures;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** What an app's published address ({@code 127.0.0.1:PORT}) answers at {@code /}, as a client of the app sees it. */
public final class PublishedAddress {
    /** Loopback: a connection is made or refused at once, so a short connect timeout only bounds a stuck one. */
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private PublishedAddress() {
    }

    /** {@link #fetch(String, Duration)} with 5 s for the whole request. */
    public static String fetch(String address) {
        return fetch(address, DEFAULT_TIMEOUT);
    }

    /** GET / on {@code address}; the body, stripped, or null when the request failed in any way (not 200 included). */
    public static String fetch(String address, Duration timeout) {
        try {
            var request = HttpRequest.newBuilder(URI.create("http://" + address + "/")).timeout(timeout).GET().build();
            var response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body().strip() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
