# smaller.sh -- sourced by the runs of the test programs that are many
# times slower than make check's own: under valgrind (tests/valgrind.sh)
# and a cross build's make check under qemu-user (cross/check.sh). The
# long tests' sizes, cut down: 2000 random doubles instead of 200000, an
# 8 MB string (test_hostile) and response (tpdump_zero_heap.sh) instead of
# 100 and 50 MB, every 7th truncation point, the collector checked on
# responses of up to 1000 bytes. What they check stays; only how many
# inputs they check it on shrinks.
TP_TEST_RANDOM=2000
TP_TEST_BIG_MB=8
TP_TEST_PREFIX_STEP=7
TP_TEST_COLLECT_BYTES=1000
export TP_TEST_RANDOM TP_TEST_BIG_MB TP_TEST_PREFIX_STEP TP_TEST_COLLECT_BYTES
