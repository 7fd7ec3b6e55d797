# SET / RESET of session properties.
SET;
> rows
key | value
allowed-lateness | 0 ms
batch.interval | 1000 ms
checkpoint.interval | 10000 ms
query.client-timeout | 5 min
emit.early-interval | 0 s
fetch.max-wait | 5000 ms
late-rows | drop
late-rows.sink |
parallelism | 0
source.max-batch-rows | 65536
statement.timeout | 300000 ms
state.ttl | 0 s
time-zone | UTC

SET 'batch.interval' = '100 ms';
> ok

SET 'time-zone' = 'Europe/Berlin';
> ok

SET;
> rows
key | value
allowed-lateness | 0 ms
batch.interval | 100 ms
checkpoint.interval | 10000 ms
query.client-timeout | 5 min
emit.early-interval | 0 s
fetch.max-wait | 5000 ms
late-rows | drop
late-rows.sink |
parallelism | 0
source.max-batch-rows | 65536
statement.timeout | 300000 ms
state.ttl | 0 s
time-zone | Europe/Berlin

SET 'time-zone' = 'Mars/Olympus';
> error 22023 Unknown time zone

SET 'source.max-batch-rows' = '0';
> error 22023 must be at least 1

SET 'source.max-batch-rows' = 'many';
> error 22023 expected a whole number

SET 'parallelism' = '129';
> error 22023 'parallelism' must be between 1 and 128

SET 'statement.timeout' = 'a while';
> error 22023

SET 'statement.timeout' = '30 s';
> ok

RESET 'batch.interval';
> ok

RESET;
> ok

SET;
> rows
key | value
allowed-lateness | 0 ms
batch.interval | 1000 ms
checkpoint.interval | 10000 ms
query.client-timeout | 5 min
emit.early-interval | 0 s
fetch.max-wait | 5000 ms
late-rows | drop
late-rows.sink |
parallelism | 0
source.max-batch-rows | 65536
statement.timeout | 300000 ms
state.ttl | 0 s
time-zone | UTC
