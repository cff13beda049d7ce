/* test_calendar.c: unit tests for lib/calendar.c. */
#include "calendar.h"
#include "t.h"

#define S(lit) lit, sizeof(lit) - 1 /* a string literal and its length */

/* Format y-m-d into a static buffer for T_CHECK_STR ("bad" if invalid). */
static const char *ymd(int y, int m, int d) {
    static char buf[11];
    if (cal_format_ymd(y, m, d, buf) != 0) return "bad";
    return buf;
}

/* Parse s in fmt and return "YYYY-MM-DD", or "rc=<code>" on failure. */
static const char *pf(const char *s, const char *fmt) {
    static char err[8];
    int y = 0, m = 0, d = 0;
    int rc = cal_parse_date_fmt(s, strlen(s), fmt, &y, &m, &d);
    if (rc != 0) {
        snprintf(err, sizeof err, "rc=%d", rc);
        return err;
    }
    return ymd(y, m, d);
}

/* Jalali jy-jm-jd converted to a Gregorian "YYYY-MM-DD", or "bad". */
static const char *j2g(int jy, int jm, int jd) {
    int y, m, d;
    if (cal_jalali_to_gregorian(jy, jm, jd, &y, &m, &d) != 0) return "bad";
    return ymd(y, m, d);
}

T_TEST(test_leap_and_month_lengths) {
    T_CHECK_INT(cal_is_leap(2024), 1);
    T_CHECK_INT(cal_is_leap(2021), 0);
    T_CHECK_INT(cal_is_leap(2000), 1);
    T_CHECK_INT(cal_is_leap(1900), 0);
    T_CHECK_INT(cal_is_leap(2100), 0);
    T_CHECK_INT(cal_is_leap(-4), 1);
    T_CHECK_INT(cal_days_in_month(2021, 2), 28);
    T_CHECK_INT(cal_days_in_month(2024, 2), 29);
    T_CHECK_INT(cal_days_in_month(1900, 2), 28);
    T_CHECK_INT(cal_days_in_month(2021, 1), 31);
    T_CHECK_INT(cal_days_in_month(2021, 4), 30);
    T_CHECK_INT(cal_days_in_month(2021, 12), 31);
    T_CHECK_INT(cal_days_in_month(2021, 0), 0);
    T_CHECK_INT(cal_days_in_month(2021, 13), 0);
    T_CHECK_INT(cal_days_in_month(2021, -1), 0);
}

T_TEST(test_valid_ymd) {
    T_CHECK_INT(cal_valid_ymd(2021, 1, 1), 1);
    T_CHECK_INT(cal_valid_ymd(2024, 2, 29), 1);
    T_CHECK_INT(cal_valid_ymd(2021, 2, 29), 0);
    T_CHECK_INT(cal_valid_ymd(1900, 2, 29), 0);
    T_CHECK_INT(cal_valid_ymd(2000, 2, 29), 1);
    T_CHECK_INT(cal_valid_ymd(2021, 13, 1), 0);
    T_CHECK_INT(cal_valid_ymd(2021, 0, 1), 0);
    T_CHECK_INT(cal_valid_ymd(2021, 1, 0), 0);
    T_CHECK_INT(cal_valid_ymd(2021, 1, 32), 0);
    T_CHECK_INT(cal_valid_ymd(2021, 4, 31), 0);
    T_CHECK_INT(cal_valid_ymd(0, 1, 1), 0);
    T_CHECK_INT(cal_valid_ymd(1, 1, 1), 1);
    T_CHECK_INT(cal_valid_ymd(9999, 12, 31), 1);
    T_CHECK_INT(cal_valid_ymd(10000, 1, 1), 0);
}

T_TEST(test_days_civil) {
    T_CHECK_INT(cal_days_from_civil(1970, 1, 1), 0);
    T_CHECK_INT(cal_days_from_civil(1970, 1, 2), 1);
    T_CHECK_INT(cal_days_from_civil(1969, 12, 31), -1);
    T_CHECK_INT(cal_days_from_civil(2000, 1, 1), 10957);
    T_CHECK_INT(cal_days_from_civil(2021, 1, 1), 18628);
    T_CHECK_INT(cal_days_from_civil(1900, 1, 1), -25567);
    T_CHECK_INT(cal_days_from_civil(1, 1, 1), -719162);
    int y, m, d;
    cal_civil_from_days(0, &y, &m, &d);
    T_CHECK_STR(ymd(y, m, d), "1970-01-01");
    cal_civil_from_days(19782, &y, &m, &d);
    T_CHECK_STR(ymd(y, m, d), "2024-02-29");
    cal_civil_from_days(-1, &y, &m, &d);
    T_CHECK_STR(ymd(y, m, d), "1969-12-31");
    cal_civil_from_days(18628, NULL, &m, NULL); /* NULL outputs allowed */
    T_CHECK_INT(m, 1);

    /* Walk every day from 0001-01-01 to 9999-12-31 with a naive counter. */
    long z = cal_days_from_civil(1, 1, 1);
    int bad = 0;
    for (int yy = 1; yy <= 9999 && !bad; yy++)
        for (int mm = 1; mm <= 12; mm++)
            for (int dd = 1; dd <= cal_days_in_month(yy, mm); dd++, z++) {
                if (cal_days_from_civil(yy, mm, dd) != z) bad = 1;
                cal_civil_from_days(z, &y, &m, &d);
                if (y != yy || m != mm || d != dd) bad = 1;
            }
    T_CHECK_INT(bad, 0);
    T_CHECK_INT(z, cal_days_from_civil(10000, 1, 1));
    /* Negative years still round-trip. */
    cal_civil_from_days(cal_days_from_civil(-100, 3, 1), &y, &m, &d);
    T_CHECK_INT(y, -100);
    T_CHECK_INT(m, 3);
    T_CHECK_INT(d, 1);
}

T_TEST(test_parse_iso_date) {
    int y = 0, m = 0, d = 0;
    T_CHECK_INT(cal_parse_iso_date(S("2021-03-21"), &y, &m, &d), 0);
    T_CHECK_INT(y, 2021);
    T_CHECK_INT(m, 3);
    T_CHECK_INT(d, 21);
    T_CHECK_INT(cal_parse_iso_date(S("2024-02-29"), &y, &m, &d), 0);
    T_CHECK_INT(cal_parse_iso_date(S("2024-02-29"), NULL, NULL, NULL), 0);
    /* not real days */
    T_CHECK_INT(cal_parse_iso_date(S("2021-02-29"), &y, &m, &d), -2);
    T_CHECK_INT(cal_parse_iso_date(S("1900-02-29"), &y, &m, &d), -2);
    T_CHECK_INT(cal_parse_iso_date(S("2021-13-01"), &y, &m, &d), -2);
    T_CHECK_INT(cal_parse_iso_date(S("2021-00-01"), &y, &m, &d), -2);
    T_CHECK_INT(cal_parse_iso_date(S("2021-01-00"), &y, &m, &d), -2);
    T_CHECK_INT(cal_parse_iso_date(S("2021-04-31"), &y, &m, &d), -2);
    T_CHECK_INT(cal_parse_iso_date(S("0000-01-01"), &y, &m, &d), -2);
    /* wrong shape */
    T_CHECK_INT(cal_parse_iso_date(S(""), &y, &m, &d), -1);
    T_CHECK_INT(cal_parse_iso_date(NULL, 0, &y, &m, &d), -1);
    T_CHECK_INT(cal_parse_iso_date(S("2021-3-21"), &y, &m, &d), -1);
    T_CHECK_INT(cal_parse_iso_date(S("2021-03-211"), &y, &m, &d), -1);
    T_CHECK_INT(cal_parse_iso_date(S(" 2021-03-21"), &y, &m, &d), -1);
    T_CHECK_INT(cal_parse_iso_date(S("2021/03/21"), &y, &m, &d), -1);
    T_CHECK_INT(cal_parse_iso_date(S("21-03-2021"), &y, &m, &d), -1);
    T_CHECK_INT(cal_parse_iso_date(S("2021-0a-21"), &y, &m, &d), -1);
    T_CHECK_INT(cal_parse_iso_date(S("abcd-ef-gh"), &y, &m, &d), -1);
    T_CHECK_INT(cal_parse_iso_date(S("2021-03-2\x01"), &y, &m, &d), -1);
    T_CHECK_INT(cal_parse_iso_date(S("2021-03-2\xd9"), &y, &m, &d), -1);
    T_CHECK_INT(cal_parse_iso_date(S("+021-03-21"), &y, &m, &d), -1);
    T_CHECK_INT(cal_parse_iso_date(S("2021-+3-21"), &y, &m, &d), -1);
    T_CHECK_INT(cal_parse_iso_date(S("20210321"), &y, &m, &d), -1);
    /* only n bytes are read: the NUL-free prefix is parsed */
    T_CHECK_INT(cal_parse_iso_date("2021-03-21T00", 10, &y, &m, &d), 0);
    T_CHECK_INT(cal_parse_iso_date(S("2021-03-21T00"), &y, &m, &d), -1);
    /* Persian digits are not ISO */
    T_CHECK_INT(cal_parse_iso_date(S("۱۴۰۰-۰۱-۰۱"), &y, &m, &d), -1);
}

T_TEST(test_parse_period) {
    int y = 0, f = 0, l = 0;
    T_CHECK_INT(cal_parse_period(S("2024-03"), &y, &f, &l), 0);
    T_CHECK_INT(y, 2024);
    T_CHECK_INT(f, 3);
    T_CHECK_INT(l, 3);
    T_CHECK_INT(cal_parse_period(S("2024-Q1"), &y, &f, &l), 0);
    T_CHECK_INT(f, 1);
    T_CHECK_INT(l, 3);
    T_CHECK_INT(cal_parse_period(S("2024-Q4"), &y, &f, &l), 0);
    T_CHECK_INT(f, 10);
    T_CHECK_INT(l, 12);
    T_CHECK_INT(cal_parse_period(S("2023"), &y, &f, &l), 0);
    T_CHECK_INT(y, 2023);
    T_CHECK_INT(f, 1);
    T_CHECK_INT(l, 12);
    T_CHECK_INT(cal_parse_period(S("2024-12"), NULL, NULL, NULL), 0);
    T_CHECK_INT(cal_parse_period(S("2024-01"), &y, &f, &l), 0);
    T_CHECK_INT(cal_parse_period(S("2024-13"), &y, &f, &l), -1);
    T_CHECK_INT(cal_parse_period(S("2024-00"), &y, &f, &l), -1);
    T_CHECK_INT(cal_parse_period(S("2024-Q0"), &y, &f, &l), -1);
    T_CHECK_INT(cal_parse_period(S("2024-Q5"), &y, &f, &l), -1);
    T_CHECK_INT(cal_parse_period(S("2024-q1"), &y, &f, &l), -1);
    T_CHECK_INT(cal_parse_period(S("2024-3"), &y, &f, &l), -1);
    T_CHECK_INT(cal_parse_period(S("2024-003"), &y, &f, &l), -1);
    T_CHECK_INT(cal_parse_period(S("2024/03"), &y, &f, &l), -1);
    T_CHECK_INT(cal_parse_period(S("2024-03-01"), &y, &f, &l), -1);
    T_CHECK_INT(cal_parse_period(S("24"), &y, &f, &l), -1);
    T_CHECK_INT(cal_parse_period(S("0000"), &y, &f, &l), -1);
    T_CHECK_INT(cal_parse_period(S("20a4"), &y, &f, &l), -1);
    T_CHECK_INT(cal_parse_period(S(" 2024"), &y, &f, &l), -1);
    T_CHECK_INT(cal_parse_period(S(""), &y, &f, &l), -1);
    T_CHECK_INT(cal_parse_period(NULL, 4, &y, &f, &l), -1);
}

T_TEST(test_parse_month) {
    int y = 0, m = 0;
    T_CHECK_INT(cal_parse_month(S("2024-07"), &y, &m), 0);
    T_CHECK_INT(y, 2024);
    T_CHECK_INT(m, 7);
    T_CHECK_INT(cal_parse_month(S("2024-Q1"), &y, &m), -1);
    T_CHECK_INT(cal_parse_month(S("2024"), &y, &m), -1);
    T_CHECK_INT(cal_parse_month(S("2024-13"), &y, &m), -1);
    T_CHECK_INT(cal_parse_month(S("2024-00"), &y, &m), -1);
    T_CHECK_INT(cal_parse_month(S("2024-7"), &y, &m), -1);
    T_CHECK_INT(cal_parse_month(S("2024-07 "), &y, &m), -1);
    T_CHECK_INT(cal_parse_month(S(""), &y, &m), -1);
    T_CHECK_INT(cal_parse_month(NULL, 7, &y, &m), -1);
}

T_TEST(test_period_end) {
    int y = 0, m = 0, d = 0;
    T_CHECK_INT(cal_period_end(S("2024-Q1"), &y, &m, &d), 0);
    T_CHECK_STR(ymd(y, m, d), "2024-03-31");
    T_CHECK_INT(cal_period_end(S("2023-02"), &y, &m, &d), 0);
    T_CHECK_STR(ymd(y, m, d), "2023-02-28");
    T_CHECK_INT(cal_period_end(S("2024-02"), &y, &m, &d), 0);
    T_CHECK_STR(ymd(y, m, d), "2024-02-29");
    T_CHECK_INT(cal_period_end(S("2024-Q2"), &y, &m, &d), 0);
    T_CHECK_STR(ymd(y, m, d), "2024-06-30");
    T_CHECK_INT(cal_period_end(S("2024"), &y, &m, &d), 0);
    T_CHECK_STR(ymd(y, m, d), "2024-12-31");
    T_CHECK_INT(cal_period_end(S("2024-04"), &y, &m, &d), 0);
    T_CHECK_STR(ymd(y, m, d), "2024-04-30");
    T_CHECK_INT(cal_period_end(S("2024-13"), &y, &m, &d), -1);
    T_CHECK_INT(cal_period_end(S("x"), &y, &m, &d), -1);
}

T_TEST(test_jalali_leap) {
    T_CHECK_INT(cal_jalali_is_leap(1399), 1);
    T_CHECK_INT(cal_jalali_is_leap(1403), 1);
    T_CHECK_INT(cal_jalali_is_leap(1408), 1);
    T_CHECK_INT(cal_jalali_is_leap(1400), 0);
    T_CHECK_INT(cal_jalali_is_leap(1401), 0);
    T_CHECK_INT(cal_jalali_is_leap(1402), 0);
    T_CHECK_INT(cal_jalali_is_leap(1404), 0);
    T_CHECK_INT(cal_jalali_is_leap(1407), 0);
    T_CHECK_INT(cal_jalali_is_leap(0), 0);
    T_CHECK_INT(cal_jalali_is_leap(3178), 0);
    T_CHECK_INT(cal_jalali_days_in_month(1400, 1), 31);
    T_CHECK_INT(cal_jalali_days_in_month(1400, 6), 31);
    T_CHECK_INT(cal_jalali_days_in_month(1400, 7), 30);
    T_CHECK_INT(cal_jalali_days_in_month(1400, 11), 30);
    T_CHECK_INT(cal_jalali_days_in_month(1402, 12), 29);
    T_CHECK_INT(cal_jalali_days_in_month(1403, 12), 30);
    T_CHECK_INT(cal_jalali_days_in_month(1403, 13), 0);
    T_CHECK_INT(cal_jalali_days_in_month(1403, 0), 0);
    T_CHECK_INT(cal_jalali_days_in_month(0, 1), 0);

    /* The leap rule agrees with the year starts for every supported year. */
    int bad = 0, y, m, d;
    for (int jy = CAL_JALALI_MIN_YEAR; jy < CAL_JALALI_MAX_YEAR; jy++) {
        cal_jalali_to_gregorian(jy, 1, 1, &y, &m, &d);
        long a = cal_days_from_civil(y, m, d);
        cal_jalali_to_gregorian(jy + 1, 1, 1, &y, &m, &d);
        long b = cal_days_from_civil(y, m, d);
        if (b - a != 365 + cal_jalali_is_leap(jy) || m != 3 || d < 19 || d > 22)
            bad++;
    }
    T_CHECK_INT(bad, 0);
}

T_TEST(test_jalali_to_gregorian) {
    T_CHECK_STR(j2g(1400, 1, 1), "2021-03-21");
    T_CHECK_STR(j2g(1403, 1, 1), "2024-03-20");
    T_CHECK_STR(j2g(1357, 11, 22), "1979-02-11");
    T_CHECK_STR(j2g(1403, 12, 30), "2025-03-20");
    T_CHECK_STR(j2g(1404, 1, 1), "2025-03-21");
    T_CHECK_STR(j2g(1399, 12, 30), "2021-03-20");
    T_CHECK_STR(j2g(1402, 12, 29), "2024-03-19");
    T_CHECK_STR(j2g(1400, 7, 1), "2021-09-23");
    T_CHECK_STR(j2g(1400, 6, 31), "2021-09-22");
    T_CHECK_STR(j2g(1402, 12, 30), "bad");
    T_CHECK_STR(j2g(1400, 12, 30), "bad");
    T_CHECK_STR(j2g(1400, 7, 31), "bad");
    T_CHECK_STR(j2g(1400, 13, 1), "bad");
    T_CHECK_STR(j2g(1400, 0, 1), "bad");
    T_CHECK_STR(j2g(1400, 1, 0), "bad");
    T_CHECK_STR(j2g(1400, 1, 32), "bad");
    T_CHECK_STR(j2g(0, 1, 1), "bad");
    T_CHECK_STR(j2g(3178, 1, 1), "bad");
    T_CHECK_STR(j2g(-5, 1, 1), "bad");
    T_CHECK_INT(cal_jalali_to_gregorian(1400, 1, 1, NULL, NULL, NULL), 0);
}

T_TEST(test_gregorian_to_jalali) {
    int jy = 0, jm = 0, jd = 0;
    T_CHECK_INT(cal_gregorian_to_jalali(2021, 3, 21, &jy, &jm, &jd), 0);
    T_CHECK_INT(jy, 1400);
    T_CHECK_INT(jm, 1);
    T_CHECK_INT(jd, 1);
    T_CHECK_INT(cal_gregorian_to_jalali(2021, 3, 20, &jy, &jm, &jd), 0);
    T_CHECK_INT(jy, 1399);
    T_CHECK_INT(jm, 12);
    T_CHECK_INT(jd, 30);
    T_CHECK_INT(cal_gregorian_to_jalali(1979, 2, 11, &jy, &jm, &jd), 0);
    T_CHECK_INT(jy, 1357);
    T_CHECK_INT(jm, 11);
    T_CHECK_INT(jd, 22);
    T_CHECK_INT(cal_gregorian_to_jalali(2024, 1, 1, &jy, &jm, &jd), 0);
    T_CHECK_INT(jy, 1402);
    T_CHECK_INT(jm, 10);
    T_CHECK_INT(jd, 11);
    T_CHECK_INT(cal_gregorian_to_jalali(2021, 2, 29, &jy, &jm, &jd), -1);
    T_CHECK_INT(cal_gregorian_to_jalali(2021, 13, 1, &jy, &jm, &jd), -1);
    T_CHECK_INT(cal_gregorian_to_jalali(500, 1, 1, &jy, &jm, &jd), -1);
    T_CHECK_INT(cal_gregorian_to_jalali(622, 1, 1, &jy, &jm, &jd), -1);
    T_CHECK_INT(cal_gregorian_to_jalali(9999, 1, 1, &jy, &jm, &jd), -1);

    /* Edges of the supported range map back onto themselves. */
    int y, m, d;
    T_CHECK_INT(cal_jalali_to_gregorian(1, 1, 1, &y, &m, &d), 0);
    T_CHECK_INT(cal_gregorian_to_jalali(y, m, d, &jy, &jm, &jd), 0);
    T_CHECK_INT(jy * 10000 + jm * 100 + jd, 10101);
    long z = cal_days_from_civil(y, m, d) - 1;
    cal_civil_from_days(z, &y, &m, &d);
    T_CHECK_INT(cal_gregorian_to_jalali(y, m, d, &jy, &jm, &jd), -1);
    int last = cal_jalali_days_in_month(3177, 12);
    T_CHECK_INT(cal_jalali_to_gregorian(3177, 12, last, &y, &m, &d), 0);
    T_CHECK_INT(cal_gregorian_to_jalali(y, m, d, &jy, &jm, &jd), 0);
    T_CHECK_INT(jy * 10000 + jm * 100 + jd, 31771200 + last);
    z = cal_days_from_civil(y, m, d) + 1;
    cal_civil_from_days(z, &y, &m, &d);
    T_CHECK_INT(cal_gregorian_to_jalali(y, m, d, &jy, &jm, &jd), -1);
}

T_TEST(test_jalali_round_trip_1950_2050) {
    long z0 = cal_days_from_civil(1950, 1, 1);
    long z1 = cal_days_from_civil(2050, 12, 31);
    int bad = 0, pjy = 0, pjm = 0, pjd = 0;
    for (long z = z0; z <= z1; z++) {
        int y, m, d, jy, jm, jd, y2, m2, d2;
        cal_civil_from_days(z, &y, &m, &d);
        if (cal_gregorian_to_jalali(y, m, d, &jy, &jm, &jd) != 0 ||
            cal_jalali_to_gregorian(jy, jm, jd, &y2, &m2, &d2) != 0 ||
            y2 != y || m2 != m || d2 != d)
            bad++;
        /* consecutive days are consecutive Jalali days */
        if (z > z0) {
            int next = (jy == pjy && jm == pjm && jd == pjd + 1) ||
                       (jy == pjy && jm == pjm + 1 && jd == 1 &&
                        pjd == cal_jalali_days_in_month(pjy, pjm)) ||
                       (jy == pjy + 1 && jm == 1 && jd == 1 && pjm == 12 &&
                        pjd == cal_jalali_days_in_month(pjy, 12));
            if (!next) bad++;
        }
        pjy = jy;
        pjm = jm;
        pjd = jd;
    }
    T_CHECK_INT(bad, 0);
}

T_TEST(test_digits_to_ascii) {
    char out[64];
    T_CHECK_INT(cal_digits_to_ascii(S("۱۴۰۰/۰۱/۰۱"), out, sizeof out), 10);
    T_CHECK_STR(out, "1400/01/01");
    T_CHECK_INT(cal_digits_to_ascii(S("٠١٢٣٤٥٦٧٨٩"), out, sizeof out), 10);
    T_CHECK_STR(out, "0123456789");
    T_CHECK_INT(cal_digits_to_ascii(S("০১২৩৪৫৬৭৮৯"), out, sizeof out), 10);
    T_CHECK_STR(out, "0123456789");
    T_CHECK_INT(cal_digits_to_ascii(S("۰۱۲۳۴۵۶۷۸۹"), out, sizeof out), 10);
    T_CHECK_STR(out, "0123456789");
    cal_digits_to_ascii(S("٣٫٥"), out, sizeof out); /* U+066B */
    T_CHECK_STR(out, "3.5");
    cal_digits_to_ascii(S("٢١؍٣؍٢٠٢١"), out, sizeof out); /* U+060D */
    T_CHECK_STR(out, "21/3/2021");
    /* other text is copied unchanged, including the thousands separator */
    cal_digits_to_ascii(S("Kabul ۱۲ کابل ١٬٠"), out, sizeof out);
    T_CHECK_STR(out, "Kabul 12 کابل 1٬0");
    cal_digits_to_ascii(S("abc"), out, sizeof out);
    T_CHECK_STR(out, "abc");
    T_CHECK_INT(cal_digits_to_ascii(S(""), out, sizeof out), 0);
    T_CHECK_STR(out, "");
    /* stray and truncated UTF-8 bytes are copied as they are */
    T_CHECK_INT(cal_digits_to_ascii(S("a\xdb"), out, sizeof out), 2);
    T_CHECK_STR(out, "a\xdb");
    T_CHECK_INT(cal_digits_to_ascii(S("\xdb\x41\xb1"), out, sizeof out), 3);
    T_CHECK_STR(out, "\xdb\x41\xb1");
    /* truncation: never splits a sequence, always NUL-terminates */
    T_CHECK_INT(cal_digits_to_ascii(S("۱۲۳"), out, 3), 2);
    T_CHECK_STR(out, "12");
    T_CHECK_INT(cal_digits_to_ascii(S("aکb"), out, 3), 1);
    T_CHECK_STR(out, "a");
    T_CHECK_INT(cal_digits_to_ascii(S("aکb"), out, 4), 3);
    T_CHECK_STR(out, "aک");
    T_CHECK_INT(cal_digits_to_ascii(S("aکb"), out, 5), 4);
    T_CHECK_STR(out, "aکb");
    T_CHECK_INT(cal_digits_to_ascii(S("abc"), out, 1), 0);
    T_CHECK_STR(out, "");
    out[0] = 'x';
    T_CHECK_INT(cal_digits_to_ascii(S("abc"), out, 0), 0);
    T_CHECK_INT(out[0], 'x');
    /* only n bytes are read */
    cal_digits_to_ascii("۱۲", 2, out, sizeof out);
    T_CHECK_STR(out, "1");
    cal_digits_to_ascii("۱۲", 3, out, sizeof out); /* half a character */
    T_CHECK_STR(out, "1\xdb");
}

T_TEST(test_has_non_ascii_digits) {
    T_CHECK_INT(cal_has_non_ascii_digits(S("۱۴۰۰")), 1);
    T_CHECK_INT(cal_has_non_ascii_digits(S("x٣")), 1);
    T_CHECK_INT(cal_has_non_ascii_digits(S("abc ৯")), 1);
    T_CHECK_INT(cal_has_non_ascii_digits(S("2021-03-21")), 0);
    T_CHECK_INT(cal_has_non_ascii_digits(S("کابل")), 0);
    T_CHECK_INT(cal_has_non_ascii_digits(S("٫؍")), 0);
    T_CHECK_INT(cal_has_non_ascii_digits(S("")), 0);
    T_CHECK_INT(cal_has_non_ascii_digits(NULL, 0), 0);
    T_CHECK_INT(cal_has_non_ascii_digits("۱", 1), 0); /* half a digit */
}

T_TEST(test_excel_serial) {
    int y = 0, m = 0, d = 0;
    T_CHECK_INT(cal_excel_serial_to_ymd(44197, 0, &y, &m, &d), 0);
    T_CHECK_STR(ymd(y, m, d), "2021-01-01");
    T_CHECK_INT(cal_excel_serial_to_ymd(45292, 0, &y, &m, &d), 0);
    T_CHECK_STR(ymd(y, m, d), "2024-01-01");
    T_CHECK_INT(cal_excel_serial_to_ymd(44197.75, 0, &y, &m, &d), 0);
    T_CHECK_STR(ymd(y, m, d), "2021-01-01");
    T_CHECK_INT(cal_excel_serial_to_ymd(1, 0, &y, &m, &d), 0);
    T_CHECK_STR(ymd(y, m, d), "1900-01-01");
    T_CHECK_INT(cal_excel_serial_to_ymd(59, 0, &y, &m, &d), 0);
    T_CHECK_STR(ymd(y, m, d), "1900-02-28");
    T_CHECK_INT(cal_excel_serial_to_ymd(60, 0, &y, &m, &d), -1);
    T_CHECK_INT(cal_excel_serial_to_ymd(60.5, 0, &y, &m, &d), -1);
    T_CHECK_INT(cal_excel_serial_to_ymd(61, 0, &y, &m, &d), 0);
    T_CHECK_STR(ymd(y, m, d), "1900-03-01");
    T_CHECK_INT(cal_excel_serial_to_ymd(25569, 0, &y, &m, &d), 0);
    T_CHECK_STR(ymd(y, m, d), "1970-01-01");
    T_CHECK_INT(cal_excel_serial_to_ymd(2958465, 0, &y, &m, &d), 0);
    T_CHECK_STR(ymd(y, m, d), "9999-12-31");
    T_CHECK_INT(cal_excel_serial_to_ymd(2958466, 0, &y, &m, &d), -1);
    T_CHECK_INT(cal_excel_serial_to_ymd(0, 0, &y, &m, &d), -1);
    T_CHECK_INT(cal_excel_serial_to_ymd(0.5, 0, &y, &m, &d), -1);
    T_CHECK_INT(cal_excel_serial_to_ymd(-1, 0, &y, &m, &d), -1);
    T_CHECK_INT(cal_excel_serial_to_ymd(-0.5, 0, &y, &m, &d), -1);
    T_CHECK_INT(cal_excel_serial_to_ymd(1e300, 0, &y, &m, &d), -1);
    double zero = 0.0;
    T_CHECK_INT(cal_excel_serial_to_ymd(zero / zero, 0, &y, &m, &d), -1);
    T_CHECK_INT(cal_excel_serial_to_ymd(1.0 / zero, 0, &y, &m, &d), -1);
    /* 1904 system */
    T_CHECK_INT(cal_excel_serial_to_ymd(0, 1, &y, &m, &d), 0);
    T_CHECK_STR(ymd(y, m, d), "1904-01-01");
    T_CHECK_INT(cal_excel_serial_to_ymd(42735, 1, &y, &m, &d), 0);
    T_CHECK_STR(ymd(y, m, d), "2021-01-01");
    T_CHECK_INT(cal_excel_serial_to_ymd(59, 1, &y, &m, &d), 0);
    T_CHECK_STR(ymd(y, m, d), "1904-02-29");
    T_CHECK_INT(cal_excel_serial_to_ymd(2957003, 1, &y, &m, &d), 0);
    T_CHECK_STR(ymd(y, m, d), "9999-12-31");
    T_CHECK_INT(cal_excel_serial_to_ymd(2957004, 1, &y, &m, &d), -1);
    T_CHECK_INT(cal_excel_serial_to_ymd(-1, 1, &y, &m, &d), -1);
    T_CHECK_INT(cal_excel_serial_to_ymd(44197, 0, NULL, NULL, NULL), 0);
}

T_TEST(test_parse_date_fmt_gregorian) {
    T_CHECK_STR(pf("2021-03-21", "YYYY-MM-DD"), "2021-03-21");
    T_CHECK_STR(pf("2021-3-1", "YYYY-MM-DD"), "2021-03-01");
    T_CHECK_STR(pf("21/03/2021", "DD/MM/YYYY"), "2021-03-21");
    T_CHECK_STR(pf("1/5/2021", "DD/MM/YYYY"), "2021-05-01");
    T_CHECK_STR(pf("1/5/2021", "MM/DD/YYYY"), "2021-01-05");
    T_CHECK_STR(pf("12/31/2021", "MM/DD/YYYY"), "2021-12-31");
    T_CHECK_STR(pf("31-12-2021", "DD-MM-YYYY"), "2021-12-31");
    T_CHECK_STR(pf("9-1-2021", "DD-MM-YYYY"), "2021-01-09");
    T_CHECK_STR(pf("29.02.2024", "DD.MM.YYYY"), "2024-02-29");
    T_CHECK_STR(pf("2021/03/21", "YYYY/MM/DD"), "2021-03-21");
    T_CHECK_STR(pf("20210321", "YYYYMMDD"), "2021-03-21");
    T_CHECK_STR(pf("  21/03/2021 \t", "DD/MM/YYYY"), "2021-03-21");
    /* national digits */
    T_CHECK_STR(pf("٢١/٠٣/٢٠٢١", "DD/MM/YYYY"), "2021-03-21");
    T_CHECK_STR(pf("২১/০৩/২০২১", "DD/MM/YYYY"), "2021-03-21");
    T_CHECK_STR(pf("২১-৩-২০২১", "DD-MM-YYYY"), "2021-03-21");
    /* not real dates */
    T_CHECK_STR(pf("29/02/2021", "DD/MM/YYYY"), "rc=-2");
    T_CHECK_STR(pf("29.02.1900", "DD.MM.YYYY"), "rc=-2");
    T_CHECK_STR(pf("01/13/2021", "DD/MM/YYYY"), "rc=-2");
    T_CHECK_STR(pf("13/01/2021", "MM/DD/YYYY"), "rc=-2");
    T_CHECK_STR(pf("00/01/2021", "DD/MM/YYYY"), "rc=-2");
    T_CHECK_STR(pf("20211301", "YYYYMMDD"), "rc=-2");
    T_CHECK_STR(pf("0000-01-01", "YYYY-MM-DD"), "rc=-2");
    /* wrong shapes */
    T_CHECK_STR(pf("", "DD/MM/YYYY"), "rc=-1");
    T_CHECK_STR(pf("   ", "DD/MM/YYYY"), "rc=-1");
    T_CHECK_STR(pf("21/03/21", "DD/MM/YYYY"), "rc=-1");
    T_CHECK_STR(pf("21-03-2021", "DD/MM/YYYY"), "rc=-1");
    T_CHECK_STR(pf("2021-03-21", "DD-MM-YYYY"), "rc=-1");
    T_CHECK_STR(pf("021/03/2021", "DD/MM/YYYY"), "rc=-1");
    T_CHECK_STR(pf("21/03/20210", "DD/MM/YYYY"), "rc=-1");
    T_CHECK_STR(pf("21/03/2021x", "DD/MM/YYYY"), "rc=-1");
    T_CHECK_STR(pf("2l/03/2021", "DD/MM/YYYY"), "rc=-1");
    T_CHECK_STR(pf("21/ 3/2021", "DD/MM/YYYY"), "rc=-1");
    T_CHECK_STR(pf("/03/2021", "DD/MM/YYYY"), "rc=-1");
    T_CHECK_STR(pf("2021321", "YYYYMMDD"), "rc=-1");
    T_CHECK_STR(pf("2021-03-21", "YYYYMMDD"), "rc=-1");
    T_CHECK_STR(pf("21\xff/03/2021", "DD/MM/YYYY"), "rc=-1");
    T_CHECK_STR(pf("21/03/2021 plus a lot of trailing text that is far "
                   "longer than any date could be and more and more bytes",
                   "DD/MM/YYYY"),
                "rc=-1");
    /* unknown formats */
    T_CHECK_STR(pf("21/03/2021", "D/M/Y"), "rc=-3");
    T_CHECK_STR(pf("21/03/2021", "dd/mm/yyyy"), "rc=-3");
    T_CHECK_INT(cal_parse_date_fmt(S("2021-01-01"), NULL, NULL, NULL, NULL),
                -3);
    T_CHECK_INT(cal_parse_date_fmt(NULL, 0, "YYYY-MM-DD", NULL, NULL, NULL),
                -1);
    T_CHECK_INT(
        cal_parse_date_fmt(S("2021-01-01"), "YYYY-MM-DD", NULL, NULL, NULL), 0);
    /* only n bytes are read */
    int y, m, d;
    T_CHECK_INT(cal_parse_date_fmt("2021-01-015", 10, "YYYY-MM-DD", &y, &m, &d),
                0);
    T_CHECK_STR(ymd(y, m, d), "2021-01-01");
}

T_TEST(test_parse_date_fmt_excel_and_jalali) {
    T_CHECK_STR(pf("44197", "excel"), "2021-01-01");
    T_CHECK_STR(pf("45292", "excel"), "2024-01-01");
    T_CHECK_STR(pf("45292.25", "excel"), "2024-01-01");
    T_CHECK_STR(pf(" ٤٥٢٩٢٫٥ ", "excel"), "2024-01-01");
    T_CHECK_STR(pf("60", "excel"), "rc=-2");
    T_CHECK_STR(pf("0", "excel"), "rc=-2");
    T_CHECK_STR(pf("-5", "excel"), "rc=-2");
    T_CHECK_STR(pf("99999999999999", "excel"), "rc=-2");
    T_CHECK_STR(pf("", "excel"), "rc=-1");
    T_CHECK_STR(pf("4419x", "excel"), "rc=-1");
    T_CHECK_STR(pf("44197.", "excel"), "rc=-1");
    T_CHECK_STR(pf(".5", "excel"), "rc=-1");
    T_CHECK_STR(pf("44,197", "excel"), "rc=-1");
    T_CHECK_STR(pf("2021-01-01", "excel"), "rc=-1");

    T_CHECK_STR(pf("۱۴۰۰/۰۱/۰۱", "jalali:YYYY/MM/DD"), "2021-03-21");
    T_CHECK_STR(pf("1400/1/1", "jalali:YYYY/MM/DD"), "2021-03-21");
    T_CHECK_STR(pf("۱۴۰۳-۰۱-۰۱", "jalali:YYYY-MM-DD"), "2024-03-20");
    T_CHECK_STR(pf("22/11/1357", "jalali:DD/MM/YYYY"), "1979-02-11");
    T_CHECK_STR(pf("٢٢/١١/١٣٥٧", "jalali:DD/MM/YYYY"), "1979-02-11");
    T_CHECK_STR(pf("1403/12/30", "jalali:YYYY/MM/DD"), "2025-03-20");
    /* RLM/LRM around text copied from right-to-left documents */
    T_CHECK_STR(pf("\xe2\x80\x8f۱۴۰۰/۰۱/۰۱\xe2\x80\x8e ", "jalali:YYYY/MM/DD"),
                "2021-03-21");
    T_CHECK_STR(pf("\xd8\x9c 1400/01/01", "jalali:YYYY/MM/DD"), "2021-03-21");
    T_CHECK_STR(pf("1402/12/30", "jalali:YYYY/MM/DD"), "rc=-2");
    T_CHECK_STR(pf("1400/13/01", "jalali:YYYY/MM/DD"), "rc=-2");
    T_CHECK_STR(pf("1400/07/31", "jalali:YYYY/MM/DD"), "rc=-2");
    T_CHECK_STR(pf("0000/01/01", "jalali:YYYY/MM/DD"), "rc=-2");
    T_CHECK_STR(pf("1400-01-01", "jalali:YYYY/MM/DD"), "rc=-1");
    T_CHECK_STR(pf("۱۴۰۰/۰۱", "jalali:YYYY/MM/DD"), "rc=-1");
    T_CHECK_STR(pf("\xe2\x80\x8f", "jalali:YYYY/MM/DD"), "rc=-1");

    T_CHECK_INT(cal_date_fmt_known("jalali:DD/MM/YYYY"), 1);
    T_CHECK_INT(cal_date_fmt_known("excel"), 1);
    T_CHECK_INT(cal_date_fmt_known("YYYYMMDD"), 1);
    T_CHECK_INT(cal_date_fmt_known("jalali"), 0);
    T_CHECK_INT(cal_date_fmt_known(""), 0);
    T_CHECK_INT(cal_date_fmt_known(NULL), 0);
}

T_TEST(test_format_ymd) {
    char out[11];
    T_CHECK_INT(cal_format_ymd(2021, 3, 21, out), 0);
    T_CHECK_STR(out, "2021-03-21");
    T_CHECK_INT(cal_format_ymd(1, 1, 1, out), 0);
    T_CHECK_STR(out, "0001-01-01");
    T_CHECK_INT(cal_format_ymd(9999, 12, 31, out), 0);
    T_CHECK_STR(out, "9999-12-31");
    T_CHECK_INT(cal_format_ymd(2021, 2, 29, out), -1);
    T_CHECK_STR(out, "");
    T_CHECK_INT(cal_format_ymd(10000, 1, 1, out), -1);
    T_CHECK_INT(cal_format_ymd(2021, 13, 1, out), -1);
    T_CHECK_INT(cal_format_ymd(-1, 1, 1, out), -1);
}

/* A Solar Hijri month is the Gregorian month that holds most of its days:
 * Hoot 1403 (2025-02-19 to 2025-03-20) is 2025-03, Hamal 1404 (from
 * 2025-03-21) is 2025-04; every month of 1403 falls in a different one. */
T_TEST(test_parse_jalali_month) {
    T_CHECK_STR(pf("۱۴۰۳/۱۲", "jalali:YYYY/MM"), "2025-03-06");
    T_CHECK_STR(pf("1404-01", "jalali:YYYY-MM"), "2025-04-05");
    T_CHECK_STR(pf("1403/13", "jalali:YYYY/MM"), "rc=-2");
    T_CHECK_STR(pf("1403/12/01", "jalali:YYYY/MM"), "rc=-1");
    T_CHECK_INT(cal_date_fmt_is_month("jalali:YYYY/MM"), 1);
    T_CHECK_INT(cal_date_fmt_is_month("jalali:YYYY/MM/DD"), 0);
    T_CHECK_INT(cal_date_fmt_is_month("excel"), 0);
    T_CHECK_INT(cal_date_fmt_is_month("MM/YYYY"), 1);
    T_CHECK_STR(pf("3/2025", "MM/YYYY"), "2025-03-16");
    T_CHECK_STR(pf("۰۳/۲۰۲۵", "MM/YYYY"), "2025-03-16");
    T_CHECK_STR(pf("13/2025", "MM/YYYY"), "rc=-2");
    T_CHECK_STR(pf("2025-02", "YYYY-MM"), "2025-02-16");
    for (int jy = 1403; jy <= 1404; jy++) {
        int seen[13] = {0}, y, m, d, distinct = 1;
        for (int jm = 1; jm <= 12; jm++) {
            char s[32];
            snprintf(s, sizeof s, "%d/%02d", jy, jm);
            cal_parse_date_fmt(s, strlen(s), "jalali:YYYY/MM", &y, &m, &d);
            distinct &= !seen[m]++;
            /* the Gregorian month holds most of the Jalali month's days */
            int len = jm <= 6    ? 31
                      : jm <= 11 ? 30
                                 : 29 + cal_jalali_is_leap(jy);
            int in = 0, gy, gm, gd;
            for (int jd = 1; jd <= len; jd++) {
                cal_jalali_to_gregorian(jy, jm, jd, &gy, &gm, &gd);
                in += gm == m;
            }
            T_CHECK(2 * in > len);
        }
        T_CHECK(distinct);
    }
}

int main(void) {
    T_RUN(test_leap_and_month_lengths);
    T_RUN(test_valid_ymd);
    T_RUN(test_days_civil);
    T_RUN(test_parse_iso_date);
    T_RUN(test_parse_period);
    T_RUN(test_parse_month);
    T_RUN(test_period_end);
    T_RUN(test_jalali_leap);
    T_RUN(test_jalali_to_gregorian);
    T_RUN(test_gregorian_to_jalali);
    T_RUN(test_jalali_round_trip_1950_2050);
    T_RUN(test_digits_to_ascii);
    T_RUN(test_has_non_ascii_digits);
    T_RUN(test_excel_serial);
    T_RUN(test_parse_date_fmt_gregorian);
    T_RUN(test_parse_date_fmt_excel_and_jalali);
    T_RUN(test_format_ymd);
    T_RUN(test_parse_jalali_month);
    return T_END();
}
