# SET / RESET of session properties.
SET;
> rows
key | value
batch.interval | 1000 ms
query.client-timeout | 5 min
fetch.max-wait | 5000 ms
time-zone | UTC

SET 'batch.interval' = '100 ms';
> ok

SET 'time-zone' = 'Europe/Berlin';
> ok

SET;
> rows
key | value
batch.interval | 100 ms
query.client-timeout | 5 min
fetch.max-wait | 5000 ms
time-zone | Europe/Berlin

SET 'time-zone' = 'Mars/Olympus';
> error 22023 Unknown time zone

RESET 'batch.interval';
> ok

RESET;
> ok

SET;
> rows
key | value
batch.interval | 1000 ms
query.client-timeout | 5 min
fetch.max-wait | 5000 ms
time-zone | UTC
