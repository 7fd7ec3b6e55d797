package io.weir.connector.datagen.profile;

import java.util.List;
import java.util.SplittableRandom;

/** Picks items with fixed relative weights. */
final class Weighted<T> {
    private final List<T> items;
    private final double[] cumulative;

    Weighted(List<T> items, double... weights) {
        if (items.size() != weights.length) {
            throw new IllegalArgumentException(items.size() + " items for " + weights.length + " weights");
        }
        this.items = List.copyOf(items);
        this.cumulative = new double[weights.length];
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            sum += weights[i];
            cumulative[i] = sum;
        }
        for (int i = 0; i < weights.length; i++) {
            cumulative[i] /= sum;
        }
    }

    T next(SplittableRandom random) {
        double draw = random.nextDouble();
        for (int i = 0; i < cumulative.length; i++) {
            if (draw < cumulative[i]) {
                return items.get(i);
            }
        }
        return items.get(items.size() - 1);
    }
}
