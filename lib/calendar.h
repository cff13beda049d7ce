/*
 * calendar.h: pure date handling for relec: Gregorian arithmetic, ISO dates
 * and reporting periods, the Solar Hijri (Jalali) calendar, Excel serial
 * numbers, national date formats and non-ASCII digits.
 *
 * Ownership: nothing here allocates or keeps a pointer. Input strings are
 * borrowed for the call only and need not be NUL-terminated (a length is
 * always passed); output buffers belong to the caller. Output int pointers
 * may be NULL when the caller does not want that value. No locale is used.
 *
 * Gregorian dates are proleptic; a "real" day here has year 1..9999.
 */
#ifndef RELEC_CALENDAR_H
#define RELEC_CALENDAR_H
#include <stddef.h>

/* Smallest and largest Solar Hijri year the Jalali functions accept. */
#define CAL_JALALI_MIN_YEAR 1
#define CAL_JALALI_MAX_YEAR 3177

/* 1 if Gregorian year y is a leap year, else 0 (any y, proleptic). */
int cal_is_leap(int y);

/* Days in Gregorian month m (1..12) of year y; 0 when m is out of range. */
int cal_days_in_month(int y, int m);

/* 1 if y-m-d is a real Gregorian day with 1 <= y <= 9999, else 0. */
int cal_valid_ymd(int y, int m, int d);

/* Days from 1970-01-01 to y-m-d (negative before), proleptic Gregorian
 * (Howard Hinnant's days_from_civil); m and d are not checked. */
long cal_days_from_civil(int y, int m, int d);

/* Inverse of cal_days_from_civil: the date z days after 1970-01-01. */
void cal_civil_from_days(long z, int *y, int *m, int *d);

/* Parse exactly "YYYY-MM-DD" (ASCII digits, n == 10). Returns 0 ok, -1
 * wrong shape, -2 right shape but not a real day (2021-02-29, 2021-13-01). */
int cal_parse_iso_date(const char *s, size_t n, int *y, int *m, int *d);

/* An ISO date at the precision known: YYYY-MM-DD, YYYY-MM or YYYY. Sets
 * the parts known and 0 for the others (*m = *d = 0 for a year). Returns
 * 0, -1 when not of those forms, -2 when not a real day or month. */
int cal_parse_partial_date(const char *s, size_t n, int *y, int *m, int *d);

/* Parse a reporting period "YYYY-MM" (01-12), "YYYY-Qn" (n 1-4, capital Q)
 * or "YYYY" into its year and first/last month. Returns 0 ok, else -1. */
int cal_parse_period(const char *s, size_t n, int *y, int *first_month,
                     int *last_month);

/* Parse only "YYYY-MM" (month 01-12), as incident.reporting_period needs.
 * Returns 0 ok, else -1. */
int cal_parse_month(const char *s, size_t n, int *y, int *m);

/* Last day of a period accepted by cal_parse_period (2024-Q1 -> 2024-03-31,
 * 2023-02 -> 2023-02-28, 2024 -> 2024-12-31). Returns 0 ok, else -1. */
int cal_period_end(const char *s, size_t n, int *y, int *m, int *d);

/* 1 if Solar Hijri year jy is a leap year (Esfand has 30 days), else 0;
 * 0 also for jy outside CAL_JALALI_MIN_YEAR..CAL_JALALI_MAX_YEAR. */
int cal_jalali_is_leap(int jy);

/* Days in Jalali month jm of year jy (31, 30, or 29/30 for month 12);
 * 0 when jy or jm is out of range. */
int cal_jalali_days_in_month(int jy, int jm);

/* Convert Solar Hijri jy-jm-jd to Gregorian (jalaali-js algorithm with
 * Borkowski's breaks). Returns 0 ok, -1 when jy-jm-jd is not a real day. */
int cal_jalali_to_gregorian(int jy, int jm, int jd, int *gy, int *gm, int *gd);

/* Convert Gregorian gy-gm-gd to Solar Hijri. Returns 0 ok, -1 when the
 * input is not a real Gregorian day or falls outside Jalali years 1..3177. */
int cal_gregorian_to_jalali(int gy, int gm, int gd, int *jy, int *jm, int *jd);

/* Copy n bytes of UTF-8 text to out, turning Arabic-Indic (U+0660..0669),
 * Extended Arabic-Indic (U+06F0..06F9) and Bengali (U+09E6..09EF) digits
 * into ASCII '0'..'9', U+066B ARABIC DECIMAL SEPARATOR into '.', and U+060D
 * ARABIC DATE SEPARATOR into '/'; all other bytes are copied unchanged.
 * Writes at most cap-1 bytes plus a NUL (when cap > 0), never splitting a
 * UTF-8 sequence. Returns the length written. Output is never longer than
 * the input, so cap >= n + 1 means no truncation. */
size_t cal_digits_to_ascii(const char *in, size_t n, char *out, size_t cap);

/* 1 if s holds any Arabic-Indic, Extended Arabic-Indic or Bengali digit. */
int cal_has_non_ascii_digits(const char *s, size_t n);

/* Excel serial date to y-m-d; the fraction (time of day) is ignored.
 * date1904 == 0: serial 1 = 1900-01-01, 60 = the fictitious 1900-02-29
 * (returns -1), 61 = 1900-03-01; date1904 != 0: serial 0 = 1904-01-01.
 * Returns -1 for NaN, serials before day one, >= 2958466 or past 9999. */
int cal_excel_serial_to_ymd(double serial, int date1904, int *y, int *m,
                            int *d);

/* 1 if fmt is a format name cal_parse_date_fmt knows, else 0. */
int cal_date_fmt_known(const char *fmt);

/* 1 if fmt names a month, not a day ("MM/YYYY", "YYYY-MM"; and
 * "jalali:YYYY/MM", "jalali:YYYY-MM": a Solar Hijri month, parsed as the
 * Gregorian day that places it in the Gregorian month holding most of its
 * days, its 16th), else 0. */
int cal_date_fmt_is_month(const char *fmt);

/* Parse a date written in fmt, one of "YYYY-MM-DD", "DD/MM/YYYY",
 * "MM/DD/YYYY", "DD-MM-YYYY", "DD.MM.YYYY", "YYYY/MM/DD", "YYYYMMDD",
 * "excel" (a 1900-system serial, fraction ignored), "jalali:YYYY/MM/DD",
 * "jalali:YYYY-MM-DD", "jalali:DD/MM/YYYY" (Solar Hijri, converted), the
 * months "jalali:YYYY/MM" and "jalali:YYYY-MM" (see above) and "MM/YYYY"
 * and "YYYY-MM" (a Gregorian month: its 16th day), into a
 * Gregorian y-m-d. Digits may be Arabic-Indic, Persian or Bengali; leading
 * and trailing spaces, tabs and bidi marks (U+200E, U+200F, U+061C) are
 * ignored; years have 4 digits, and days and months 1 or 2 digits except in
 * "YYYYMMDD". Returns 0 ok, -1 shape mismatch, -2 not a real date, -3
 * unknown fmt. */
int cal_parse_date_fmt(const char *s, size_t n, const char *fmt, int *y, int *m,
                       int *d);

/* Write y-m-d as "YYYY-MM-DD" plus NUL into out. Returns 0, or -1 (and
 * writes "") when y-m-d is not a real day per cal_valid_ymd. */
int cal_format_ymd(int y, int m, int d, char out[11]);

#endif
