package io.pxewings.bmc.redfish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.pxewings.bmc.bmc.BmcCredentials;
import io.pxewings.bmc.bmc.BmcException;
import io.pxewings.bmc.bmc.BootTarget;
import io.pxewings.bmc.bmc.PowerAction;
import io.pxewings.bmc.bmc.PowerState;
import io.pxewings.bmc.sim.RedfishServer;

/**
 * RedfishBmc against the project's Redfish server over DMTF's public-rackmount1 mockup (itself
 * checked with sushy and redfishtool in RedfishServerTest): each quirk the anchors learned in the
 * field is a behaviour of that server here, and each has its test.
 */
class RedfishBmcTest {

    static final Path MOCKUP = RedfishServer.MOCKUP;
    static ScheduledExecutorService timer;
    static HttpClient client;
    RedfishServer server;
    RedfishBmc bmc;

    @BeforeAll
    static void shared() {
        timer = Executors.newScheduledThreadPool(2);
        client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    }

    @AfterAll
    static void stopShared() {
        timer.shutdownNow();
    }

    @BeforeEach
    void start() throws Exception {
        server = new RedfishServer(MOCKUP, "root", "rf-secret").start();
        bmc = bmc("rf-secret");
    }

    @AfterEach
    void stop() {
        bmc.close();
        server.close();
    }

    RedfishBmc bmc(String password) {
        RedfishHttp http = new RedfishHttp(URI.create(server.url()), BmcCredentials.of("root", password),
                new RedfishHttp.Settings(3, Duration.ofMillis(50), Duration.ofSeconds(1)), client, timer);
        return new RedfishBmc(http, new RedfishBmc.Settings(Duration.ofSeconds(10), Duration.ofSeconds(5), null), timer);
    }

    static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    static BmcException failure(CompletableFuture<?> f) {
        try {
            f.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            Throwable c = e.getCause();
            assertThat(c).isInstanceOf(BmcException.class);
            return (BmcException) c;
        }
        throw new AssertionError("succeeded");
    }

    @Test
    void powerWithResetTypesFromTheAllowableValuesInOneReusedSession() throws Exception {
        assertThat(get(bmc.powerState())).isEqualTo(PowerState.ON);
        get(bmc.power(PowerAction.OFF));
        get(bmc.power(PowerAction.CYCLE));   // off: a cycle is an On
        get(bmc.power(PowerAction.CYCLE));   // on, no PowerCycle in the mockup: ForceRestart
        get(bmc.power(PowerAction.SOFT_OFF));
        assertThat(server.resets()).containsExactly("ForceOff", "On", "ForceRestart", "GracefulShutdown");
        assertThat(server.openSessions()).as("one session for all of it").isEqualTo(1);
        bmc.close();
        assertThat(server.openSessions()).as("deleted at the end").isZero();
    }

    @Test
    void aCycleWithNeitherPowerCycleNorForceRestartIsOffThenOn() throws Exception {
        server.removeResetType("ForceRestart");
        get(bmc.power(PowerAction.CYCLE));
        assertThat(server.resets()).containsExactly("ForceOff", "On");
        assertThat(server.powerState()).isEqualTo("On");
    }

    @Test
    void aMissingResetTypeIsAClearError() {
        server.removeResetType("GracefulShutdown");
        server.removeResetType("PushPowerButton");
        BmcException e = failure(bmc.power(PowerAction.SOFT_OFF));
        assertThat(e.reason()).isEqualTo("unsupported");
        assertThat(e.getMessage()).contains("no ResetType for soft-off");
    }

    @Test
    void aResetAnsweredWithATaskMonitorIsFollowedToTheEnd() throws Exception {
        server.resetAsTask(true, 3);
        get(bmc.power(PowerAction.OFF));
        assertThat(server.log().stream().filter(l -> l.startsWith("GET /redfish/v1/TaskService/Tasks/")).count()).isEqualTo(3);
    }

    @Test
    void transientRefusalsDuringPostAndServerErrorsAreRetried() throws Exception {
        server.transientResetRefusals(2);   // iDRAC SYS518 / iLO: 409 while in POST
        get(bmc.power(PowerAction.OFF));
        assertThat(server.resets()).containsExactly("ForceOff");
        server.failNext(2, 503);
        assertThat(get(bmc.powerState())).isEqualTo(PowerState.OFF);
    }

    @Test
    void aBmcThatDoesNotAnswerInTimeIsUnreachable() {
        server.delayNext(10, 1500);
        BmcException e = failure(bmc.powerState());
        assertThat(e.unreachable()).isTrue();
    }

    @Test
    void aBodyThatIsNotJsonIsABadAnswerNotACrash() throws Exception {
        get(bmc.powerState());
        server.garbageNext(1);
        assertThat(failure(bmc.powerState()).reason()).isEqualTo("bad-answer");
    }

    @Test
    void bootOverrideWithIfMatchAndReadBack() throws Exception {
        server.requireIfMatch(true);   // 428 without If-Match (some Lenovo, AMI, Huawei)
        get(bmc.bootDevice(new BootTarget(BootTarget.Device.DISK, true, true)));
        assertThat(server.boot().path("BootSourceOverrideTarget").asText()).isEqualTo("Hdd");
        assertThat(server.boot().path("BootSourceOverrideEnabled").asText()).isEqualTo("Continuous");
        assertThat(get(bmc.bootDeviceNow())).isEqualTo(new BootTarget(BootTarget.Device.DISK, true, true));
        get(bmc.bootDevice(new BootTarget(BootTarget.Device.NONE, false, true)));
        assertThat(server.boot().path("BootSourceOverrideEnabled").asText()).isEqualTo("Disabled");
    }

    @Test
    void a412ForTheRightEtagIsRetriedWithTheOtherQuotingAndLenovoGetsItFirst() throws Exception {
        server.strongEtagOnly(true);   // Lenovo XCC: 412 for the weak form of the right ETag
        get(bmc.bootDevice(new BootTarget(BootTarget.Device.PXE, false, true)));
        assertThat(server.patches()).as("weak refused, then strong").isEqualTo(2);
        server.identity("Lenovo", "ThinkSystem SR650");
        RedfishBmc lenovo = bmc("rf-secret");
        get(lenovo.bootDevice(new BootTarget(BootTarget.Device.DISK, false, true)));
        assertThat(server.patches()).as("Lenovo: the strong form first").isEqualTo(3);
        lenovo.close();
    }

    @Test
    void aPatchRefusedForNamingModeIsSentWithoutIt() throws Exception {
        server.refuseModeInPatch(true);   // some HPE iLO
        get(bmc.bootDevice(new BootTarget(BootTarget.Device.PXE, false, false)));   // UEFI -> Legacy: Mode would change
        assertThat(server.boot().path("BootSourceOverrideTarget").asText()).isEqualTo("Pxe");
        assertThat(bmc.quirks().neverSendMode()).as("learned for the next time").isTrue();
        server.identity("HPE", "ProLiant DL380 Gen10");
        RedfishBmc hpe = bmc("rf-secret");
        int before = server.patches();
        get(hpe.bootDevice(new BootTarget(BootTarget.Device.DISK, false, false)));
        assertThat(server.patches() - before).as("HPE: no Mode from the start").isEqualTo(1);
        hpe.close();
    }

    @Test
    void supermicroGetsModeAlwaysAndOnceInsteadOfContinuous() throws Exception {
        server.identity("Supermicro", "X11DPT-B");
        server.revertModeUnlessSent(true);
        server.noContinuous(true);
        get(bmc.bootDevice(new BootTarget(BootTarget.Device.PXE, true, true)));
        assertThat(server.boot().path("BootSourceOverrideMode").asText()).as("Mode sent, so it did not revert").isEqualTo("UEFI");
        assertThat(server.boot().path("BootSourceOverrideEnabled").asText()).isEqualTo("Once");
        assertThat(bmc.quirks().vendor()).isEqualTo("supermicro");
    }

    @Test
    void aGenericBmcThatRefusesContinuousLearnsOnce() throws Exception {
        server.noContinuous(true);
        get(bmc.bootDevice(new BootTarget(BootTarget.Device.PXE, true, true)));
        assertThat(server.boot().path("BootSourceOverrideEnabled").asText()).isEqualTo("Once");
        assertThat(bmc.quirks().noContinuous()).isTrue();
    }

    @Test
    void aBootOverrideTheBmcSaidYesToButDidNotMakeIsNotConfirmed() {
        server.ignoreBootPatch(true);
        BmcException e = failure(bmc.bootDevice(new BootTarget(BootTarget.Device.BIOS_SETUP, false, true)));
        assertThat(e.reason()).isEqualTo("not-confirmed");
    }

    @Test
    void sessionsExhaustedOrAbsentFallBackToBasicAuthentication() throws Exception {
        server.maxSessions(0);   // iDRAC RAC0218
        assertThat(get(bmc.powerState())).isEqualTo(PowerState.ON);
        assertThat(server.openSessions()).isZero();
        server.maxSessions(16);
        server.noSessionService(true);
        RedfishBmc basic = bmc("rf-secret");
        get(basic.power(PowerAction.OFF));
        assertThat(server.powerState()).isEqualTo("Off");
        basic.close();
    }

    @Test
    void aWrongPasswordIsAuthFailedAndNeverInTheMessage() {
        RedfishBmc wrong = bmc("wrong-secret-123");
        BmcException e = failure(wrong.powerState());
        assertThat(e.reason()).isEqualTo("auth-failed");
        assertThat(e.getMessage()).doesNotContain("wrong-secret-123").doesNotContain("rf-secret");
        wrong.close();
    }

    @Test
    void virtualMediaInsertAndEject() throws Exception {
        get(bmc.insertMedia("http://10.77.0.1:8080/files/rescue.iso"));
        assertThat(server.virtualMedia().path("Inserted").asBoolean()).isTrue();
        assertThat(server.virtualMedia().path("Image").asText()).isEqualTo("http://10.77.0.1:8080/files/rescue.iso");
        get(bmc.ejectMedia());
        assertThat(server.virtualMedia().path("Inserted").asBoolean()).isFalse();
    }

    @Test
    void healthNamesTheVendorAndItsQuirks() throws Exception {
        assertThat(get(bmc.health()).detail()).contains("Redfish 1.15.0", "quirks generic");
        assertThat(get(bmc.health()).manufacturer()).isEqualTo("Contoso");
    }
}
