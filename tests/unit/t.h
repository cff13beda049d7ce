/*
 * t.h: the unit-test harness. Each tests/unit/test_*.c includes this once,
 * defines its tests with T_TEST(name) and registers them in main() with
 * T_RUN(name); T_END() prints "N passed, N failed" and returns the exit code.
 * A test passes when none of its T_CHECK*() failed. Nothing here allocates.
 */
#ifndef RELEC_T_H
#define RELEC_T_H
#include <stdio.h>
#include <string.h>

static int t_failed_checks; /* failed checks in the test now running */
static int t_passed;        /* tests that passed */
static int t_failed;        /* tests that failed */

#define T_TEST(name) static void name(void)
#define T_CHECK(cond)                                                          \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__,   \
                    #cond);                                                    \
            t_failed_checks++;                                                 \
        }                                                                      \
    } while (0)
#define T_CHECK_INT(got, want)                                                 \
    do {                                                                       \
        long long t_g_ = (long long)(got), t_w_ = (long long)(want);           \
        if (t_g_ != t_w_) {                                                    \
            fprintf(stderr, "%s:%d: %s is %lld, want %lld\n", __FILE__,        \
                    __LINE__, #got, t_g_, t_w_);                               \
            t_failed_checks++;                                                 \
        }                                                                      \
    } while (0)
#define T_CHECK_STR(got, want)                                                 \
    do {                                                                       \
        const char *t_g_ = (got), *t_w_ = (want);                              \
        if (!t_g_ || strcmp(t_g_, t_w_) != 0) {                                \
            fprintf(stderr, "%s:%d: %s is \"%s\", want \"%s\"\n", __FILE__,    \
                    __LINE__, #got, t_g_ ? t_g_ : "(null)", t_w_);             \
            t_failed_checks++;                                                 \
        }                                                                      \
    } while (0)
#define T_RUN(name)                                                            \
    do {                                                                       \
        t_failed_checks = 0;                                                   \
        name();                                                                \
        if (t_failed_checks) {                                                 \
            t_failed++;                                                        \
            fprintf(stderr, "FAIL %s\n", #name);                               \
        } else {                                                               \
            t_passed++;                                                        \
        }                                                                      \
    } while (0)
#define T_END()                                                                \
    (printf("%d passed, %d failed\n", t_passed, t_failed), t_failed ? 1 : 0)
#endif
