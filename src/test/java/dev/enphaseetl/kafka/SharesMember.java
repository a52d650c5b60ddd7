package dev.enphaseetl.kafka;

import java.time.Duration;
import java.util.Optional;

import dev.enphaseetl.config.EnphaseConfig;
import dev.enphaseetl.pipeline.GatewayShares;

/**
 * A poller's gateway share in a JVM of its own, for {@link GatewaySharesTest} to kill with SIGKILL: joins the group
 * and prints the slots it owns each 200 ms ({@code owned <n>}).
 */
public final class SharesMember {

    private SharesMember() {}

    public static void main(String[] args) throws Exception {
        GatewayShares shares = of(args[0], args[1]);
        shares.owns("warm-up");
        while (true) {
            System.out.println("owned " + shares.ownedSlots().size());
            System.out.flush();
            Thread.sleep(200);
        }
    }

    static EnphaseConfig.ShareGateways share(String group) {
        return new EnphaseConfig.ShareGateways() {
            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public String groupId() {
                return group;
            }

            @Override
            public String topic() {
                return "slots-" + group;
            }

            @Override
            public int slots() {
                return GatewaySharesTest.SLOTS;
            }
        };
    }

    static GatewayShares of(String servers, String group) {
        return new GatewayShares(Optional.of(share(group)), servers, Duration.ofSeconds(6));
    }
}
