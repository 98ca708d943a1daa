package org.histodraw.web;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every browser test class starts with: a real server holding the synthetic project
 * ({@link Site}) and a headless chromium ({@link Browser}); all closed after the class.
 */
abstract class InTheBrowser {
    @TempDir
    static Path dir;
    static Site site;
    static Browser b;
    private static final Deque<AutoCloseable> OPEN = new ArrayDeque<>();

    /** Starts the server and one browser, logged in as {@code user}. */
    static void start(String user) {
        Browser.assumeInstalled();
        site = keep(new Site(dir));
        b = browser(user);
    }

    /** Another browser context (its own profile and cookies), logged in as {@code user}. */
    static Browser browser(String user) {
        Browser another = keep(new Browser(site.base, dir.resolve("profile-" + user + "-" + OPEN.size())));
        another.login(user, Site.PASSWORD);
        return another;
    }

    static <T extends AutoCloseable> T keep(T resource) {
        OPEN.push(resource);
        return resource;
    }

    /** Every test of every browser test class: no uncaught error or console.error in any page. */
    @AfterEach
    void noErrorsInThePages() {
        for (AutoCloseable c : OPEN) {
            if (c instanceof Browser open) {
                open.assertNoPageErrors();
            }
        }
    }

    @AfterAll
    static void closeEverything() {
        while (!OPEN.isEmpty()) {
            try {
                OPEN.pop().close();
            } catch (Exception | AssertionError e) {
                // closing the rest matters more (the errors were checked after each test)
            }
        }
        site = null;
        b = null;
    }
}
