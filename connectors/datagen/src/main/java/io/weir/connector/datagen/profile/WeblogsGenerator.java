package io.weir.connector.datagen.profile;

import io.weir.spi.batch.RowWriter;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import io.weir.spi.type.ValueConversion;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Generates correlated web-log events for {@link WeblogsProfile}: the status drives the size and the
 * latency, each user keeps one IP. Strings come from pools built once per reader, so a row allocates
 * nothing beyond boxing-free writes (and the status text for VARCHAR status columns).
 */
public final class WeblogsGenerator {
    private static final int USERS = 1000;
    private static final int IPS = 600;
    private static final double ANONYMOUS = 0.25;
    private static final String[] FIRST_NAMES = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan",
        "judy", "mallory", "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "yara", "zoe", "omar",
        "li", "mei", "raj", "sofia", "lucas", "emma", "noah", "mia"};
    private static final int[] FIRST_OCTETS = {23, 31, 37, 45, 62, 66, 77, 81, 91, 93, 104, 109, 142, 151, 176, 185, 188, 193, 203, 212, 217};

    private static final Weighted<String> METHODS = new Weighted<>(List.of("GET", "POST", "PUT", "DELETE", "HEAD"), 82, 12, 3, 2, 1);
    private static final Weighted<Integer> STATUSES = new Weighted<>(List.of(200, 304, 301, 302, 404, 500, 503, 401),
            84, 5, 1.5, 1.5, 5, 1.5, 0.5, 1);
    private static final Weighted<String> AGENTS = new Weighted<>(List.of(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
            "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
            "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36",
            "curl/8.5.0",
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"), 34, 22, 18, 8, 12, 2, 4);
    private static final Weighted<String> EXTERNAL_REFERRERS = new Weighted<>(List.of(
            "https://www.google.com/", "https://www.bing.com/", "https://news.ycombinator.com/", "https://t.co/", "https://www.reddit.com/"),
            70, 10, 8, 7, 5);

    private final SplittableRandom random;
    private final List<WeblogsProfile.Column> columns;
    private final DataType[] types;
    private final double[] nullRates;
    private final long maxDisorderMillis;
    private final String[] users;
    private final String[] ips;
    private final int[] userIp;
    private final String[] urls;
    private final String[] internalReferrers;
    private final Zipf userRanks = new Zipf(USERS, 1.0);
    private final Zipf urlRanks;

    // The current event.
    private String ip;
    private String user;
    private String method;
    private int urlIndex;
    private int status;
    private long bytes;
    private double latency;
    private long ts;
    private String referrer;
    private String agent;

    /**
     * @param schema the declared columns, bound to profile columns in the same order
     * @param nullRates per declared column, the probability of NULL
     */
    public WeblogsGenerator(long seed, List<DataType.Field> schema, List<WeblogsProfile.Column> columns, double[] nullRates,
                            long maxDisorderMillis) {
        this.random = new SplittableRandom(seed);
        this.columns = List.copyOf(columns);
        this.types = schema.stream().map(DataType.Field::type).toArray(DataType[]::new);
        this.nullRates = nullRates.clone();
        this.maxDisorderMillis = maxDisorderMillis;
        SplittableRandom pools = new SplittableRandom(seed ^ 0x5DEECE66DL);
        this.users = userPool(pools);
        this.ips = ipPool(pools);
        this.userIp = new int[USERS];
        for (int i = 0; i < USERS; i++) {
            userIp[i] = pools.nextInt(IPS);
        }
        this.urls = urlPool(pools);
        this.urlRanks = new Zipf(urls.length, 1.1);
        this.internalReferrers = new String[urls.length];
        for (int i = 0; i < urls.length; i++) {
            internalReferrers[i] = "https://shop.example.com" + urls[i];
        }
    }

    private static String[] userPool(SplittableRandom random) {
        Set<String> names = new LinkedHashSet<>();
        while (names.size() < USERS) {
            names.add(FIRST_NAMES[random.nextInt(FIRST_NAMES.length)] + random.nextInt(1000));
        }
        return names.toArray(String[]::new);
    }

    private static String[] ipPool(SplittableRandom random) {
        Set<String> addresses = new LinkedHashSet<>();
        while (addresses.size() < IPS) {
            addresses.add(FIRST_OCTETS[random.nextInt(FIRST_OCTETS.length)] + "." + random.nextInt(256) + "."
                    + random.nextInt(256) + "." + (1 + random.nextInt(254)));
        }
        return addresses.toArray(String[]::new);
    }

    /** Most popular first: the Zipf ranks follow this order. */
    private static String[] urlPool(SplittableRandom random) {
        List<String> urls = new ArrayList<>(List.of("/", "/index.html", "/products", "/static/app.js", "/static/style.css",
                "/cart", "/search", "/login", "/api/v1/cart", "/checkout", "/account", "/about", "/logout", "/favicon.ico"));
        String[] terms = {"shoes", "laptop", "coffee", "headphones", "books", "lamp", "desk", "camera", "phone", "watch"};
        for (String term : terms) {
            urls.add("/search?q=" + term);
        }
        for (int i = 0; i < 120; i++) {
            urls.add("/products/" + (1000 + random.nextInt(9000)));
        }
        for (int i = 0; i < 40; i++) {
            urls.add("/api/v1/items/" + (1 + random.nextInt(5000)));
        }
        for (int i = 0; i < 20; i++) {
            urls.add("/images/" + (1 + random.nextInt(500)) + ".png");
        }
        return urls.stream().distinct().toArray(String[]::new);
    }

    /** Generates the next event at the given scheduled time and writes the declared columns. */
    public void write(RowWriter out, long timeMillis) {
        nextEvent(timeMillis);
        for (int column = 0; column < columns.size(); column++) {
            if (nullRates[column] > 0 && random.nextDouble() < nullRates[column]) {
                out.setNull(column);
                continue;
            }
            DataType type = types[column];
            switch (columns.get(column)) {
                case IP -> out.setObject(column, ValueConversion.string(type, ip));
                case USER -> out.setObject(column, ValueConversion.string(type, user));
                case METHOD -> out.setObject(column, ValueConversion.string(type, method));
                case URL -> out.setObject(column, ValueConversion.string(type, urls[urlIndex]));
                case STATUS -> {
                    if (type.kind().representation() == TypeKind.Representation.LONG) {
                        out.setLong(column, status);
                    } else {
                        out.setObject(column, ValueConversion.string(type, Integer.toString(status)));
                    }
                }
                case BYTES -> out.setLong(column, type.kind() == TypeKind.INTEGER ? Math.min(bytes, Integer.MAX_VALUE) : bytes);
                case LATENCY -> {
                    if (type.kind().representation() == TypeKind.Representation.DOUBLE) {
                        out.setDouble(column, ValueConversion.checkDouble(type.kind(), latency));
                    } else {
                        out.setLong(column, Math.round(latency));
                    }
                }
                case TS -> out.setLong(column, ValueConversion.truncate(type, ts));
                case REFERRER -> out.setObject(column, ValueConversion.string(type, referrer));
                case USER_AGENT -> out.setObject(column, ValueConversion.string(type, agent));
            }
        }
    }

    private void nextEvent(long timeMillis) {
        if (random.nextDouble() < ANONYMOUS) {
            user = "-";
            ip = ips[random.nextInt(IPS)];
        } else {
            int rank = userRanks.next(random);
            user = users[rank];
            ip = ips[userIp[rank]];
        }
        method = METHODS.next(random);
        urlIndex = urlRanks.next(random);
        status = STATUSES.next(random);
        String url = urls[urlIndex];
        if (status == 304 && !url.startsWith("/static") && !url.startsWith("/images") && random.nextBoolean()) {
            status = 200; // not-modified answers are mostly for assets
        }
        bytes = switch (status) {
            case 304 -> 0;
            case 301, 302 -> 180 + random.nextInt(120);
            case 401, 404 -> 400 + random.nextInt(600);
            case 500, 503 -> 120 + random.nextInt(500);
            default -> Math.round(Math.exp(8.3 + 1.1 * random.nextGaussian())) + 64;
        };
        double latencyFactor = switch (status) {
            case 304 -> 0.3;
            case 500, 503 -> 6;
            default -> 1;
        };
        latency = Math.max(0.2, Math.exp(3.4 + 0.8 * random.nextGaussian()) * latencyFactor);
        latency = Math.round(latency * 1000) / 1000.0;
        long lateness = maxDisorderMillis > 0 ? random.nextLong(maxDisorderMillis + 1) : 0;
        ts = timeMillis - lateness;
        double referral = random.nextDouble();
        referrer = referral < 0.4 ? "-" : referral < 0.8 ? internalReferrers[urlRanks.next(random)] : EXTERNAL_REFERRERS.next(random);
        agent = AGENTS.next(random);
    }
}
