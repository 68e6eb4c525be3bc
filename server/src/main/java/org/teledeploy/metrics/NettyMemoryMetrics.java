package org.teledeploy.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;

/**
 * Memory held by the Netty allocator the listeners use ({@link ByteBufAllocator#DEFAULT}: in Netty 4.2 the
 * adaptive allocator, or the pooled one with {@code -Dio.netty.allocator.type=pooled}), heap and direct. Direct
 * memory is outside the Java heap and its limit ({@code -XX:MaxDirectMemorySize}): this is where a leak or
 * too many slow fragment downloads show before the process dies. The allocator type is a label with one stable
 * value (Micrometer's own binder adds the allocator's hash code, which changes at every start).
 */
final class NettyMemoryMetrics {

    static final String USED = "netty.allocator.memory.used";
    private static final String DESCRIPTION = "Memory held by the Netty allocator of the listeners, heap or direct";

    private NettyMemoryMetrics() {}

    static void bind(MeterRegistry registry, ByteBufAllocator allocator) {
        if (!(allocator instanceof ByteBufAllocatorMetricProvider provider)) {
            return;
        }
        ByteBufAllocatorMetric metric = provider.metric();
        String type = allocator.getClass().getSimpleName();
        Gauge.builder(USED, () -> metric.usedHeapMemory()).baseUnit("bytes")
                .description(DESCRIPTION)
                .tags("allocator.type", type, "memory.type", "heap").register(registry);
        Gauge.builder(USED, () -> metric.usedDirectMemory()).baseUnit("bytes")
                .description(DESCRIPTION)
                .tags("allocator.type", type, "memory.type", "direct").register(registry);
    }
}
