package org.apache.parquet;

import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.format.converter.ParquetMetadataConverter;

import java.util.Map;

/**
 * Parquet read options made without Hadoop. {@link ParquetReadOptions.Builder} always loads Hadoop
 * classes (a Hadoop codec factory and MapReduce's input format for the record filter), even when
 * given a plain configuration and a codec factory; the options' constructor itself needs none, but is
 * package-private, hence this class in Parquet's package. The values are the builder's defaults.
 */
public final class HadoopFreeReadOptions {
    private static final int MAX_ALLOCATION_SIZE = 8 * 1024 * 1024;

    private HadoopFreeReadOptions() {
    }

    public static ParquetReadOptions create(CompressionCodecFactory codecs) {
        return new ParquetReadOptions(
                false, // useSignedStringMinMax
                true, // useStatsFilter
                true, // useDictionaryFilter
                true, // useRecordFilter
                true, // useColumnIndexFilter
                false, // usePageChecksumVerification
                true, // useBloomFilter
                false, // useOffHeapDecryptBuffer
                false, // useHadoopVectoredIo
                FilterCompat.NOOP, ParquetMetadataConverter.NO_FILTER, codecs, new HeapByteBufferAllocator(),
                MAX_ALLOCATION_SIZE, Map.of(), null, null, new PlainParquetConfiguration());
    }
}
