package org.histodraw.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/** The project page as its owner sees it: the members, and inviting someone from the browser. */
class ProjectPageInTheBrowserTest extends InTheBrowser {

    @BeforeAll
    static void start() {
        start(Site.ADMIN);
    }

    @Test
    void theOwnerSeesTheMembersAndInvitesSomeone() {
        site.call("POST", "/api/v1/users", Map.of("username", "otto", "password", Site.PASSWORD));
        b.open("#/projects/" + site.projectId);
        WebElement members = b.waitFor(d -> d.findElement(By.id("members")));
        b.waitFor(d -> members.getText().contains("edith"));
        assertThat(members.getText()).contains("edith", "editor", "vera", "viewer");

        WebElement name = members.findElement(By.cssSelector("input[name='username']"));
        name.sendKeys("otto");
        new Select(members.findElement(By.cssSelector("select[name='role']"))).selectByValue("editor");
        members.findElement(By.cssSelector("button[type='submit']")).click();
        b.waitFor(d -> d.findElement(By.id("members")).getText().contains("otto"));

        String role = null;
        for (JsonNode m : site.call("GET", "/api/v1/projects/" + site.projectId + "/members", null)) {
            if (m.path("username").asText().equals("otto")) {
                role = m.path("role").asText();
            }
        }
        assertThat(role).as("otto's role on the server").isEqualTo("editor");
        b.screenshot("project-members");
    }
}
