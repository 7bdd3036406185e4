package io.pxewings.inventory;

import static io.restassured.RestAssured.given;

import java.util.concurrent.ThreadLocalRandom;

import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

/** Test helpers: fresh MACs and sites, and creating machines through the API. */
public final class Machines {

    private Machines() {
    }

    /** A locally administered unicast MAC nobody else in this test JVM uses. */
    public static String mac() {
        long r = ThreadLocalRandom.current().nextLong();
        StringBuilder b = new StringBuilder("02");
        for (int i = 0; i < 5; i++) {
            b.append(':').append(String.format("%02x", (r >>> (8 * i)) & 0xff));
        }
        return b.toString();
    }

    public static String site(String prefix) {
        return prefix + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
    }

    public static ExtractableResponse<Response> create(String json) {
        return given().contentType(ContentType.JSON).body(json).post("/api/v1/machines").then().statusCode(201).extract();
    }

    public static String createId(String site, String mac) {
        return create("{\"site\":\"" + site + "\",\"nics\":[{\"mac\":\"" + mac + "\",\"boot\":true}]}").path("id");
    }
}
