package io.weir.spi.option;

/** The type of a connector or format option's value, as users write it in {@code WITH (...)}. */
public enum OptionType {
    STRING("string"),
    INT("int"),
    LONG("long"),
    DOUBLE("double"),
    BOOLEAN("boolean"),
    /** A duration such as {@code '100 ms'}, {@code '5 s'}, {@code '2 min'} or {@code '1 h'}. */
    DURATION("duration"),
    /** One of a fixed set of values, compared ignoring case. */
    ENUM("enum"),
    /** A comma-separated list of strings. */
    LIST("list");

    private final String displayName;

    OptionType(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }
}
