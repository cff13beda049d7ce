/*
 * calendar.c: see calendar.h. Gregorian day counts follow Howard Hinnant's
 * "chrono-Compatible Low-Level Date Algorithms"; the Solar Hijri calendar
 * follows jalaali-js (Borkowski's breaks). No allocation, no locale, no libm.
 */
#include "calendar.h"

#include <string.h>

/* Store v through p when the caller asked for it. */
static void put(int *p, int v) {
    if (p) *p = v;
}

static int is_digit(char c) {
    return c >= '0' && c <= '9';
}

/* Value of the k ASCII digits at s, or -1 if any is not a digit. */
static int digits_value(const char *s, size_t k) {
    int v = 0;
    for (size_t i = 0; i < k; i++) {
        if (!is_digit(s[i])) return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* ---------------------------------------------------------------------- */
/* Gregorian                                                              */

int cal_is_leap(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int cal_days_in_month(int y, int m) {
    static const unsigned char len[12] = {31, 28, 31, 30, 31, 30,
                                          31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12) return 0;
    if (m == 2 && cal_is_leap(y)) return 29;
    return len[m - 1];
}

int cal_valid_ymd(int y, int m, int d) {
    return y >= 1 && y <= 9999 && d >= 1 && d <= cal_days_in_month(y, m);
}

long cal_days_from_civil(int y, int m, int d) {
    long yy = (long)y - (m <= 2);
    long era = (yy >= 0 ? yy : yy - 399) / 400;
    long yoe = yy - era * 400;                                   /* [0, 399] */
    long doy = (153L * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* [0, 365] */
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

void cal_civil_from_days(long z, int *y, int *m, int *d) {
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097; /* [0, 146096] */
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long yy = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100); /* [0, 365] */
    long mp = (5 * doy + 2) / 153;                      /* [0, 11] */
    long dd = doy - (153 * mp + 2) / 5 + 1;             /* [1, 31] */
    long mm = mp < 10 ? mp + 3 : mp - 9;                /* [1, 12] */
    put(y, (int)(yy + (mm <= 2)));
    put(m, (int)mm);
    put(d, (int)dd);
}

/* ---------------------------------------------------------------------- */
/* ISO dates and reporting periods                                        */

int cal_parse_iso_date(const char *s, size_t n, int *y, int *m, int *d) {
    if (!s || n != 10 || s[4] != '-' || s[7] != '-') return -1;
    int yy = digits_value(s, 4), mm = digits_value(s + 5, 2),
        dd = digits_value(s + 8, 2);
    if (yy < 0 || mm < 0 || dd < 0) return -1;
    if (!cal_valid_ymd(yy, mm, dd)) return -2;
    put(y, yy);
    put(m, mm);
    put(d, dd);
    return 0;
}

int cal_parse_partial_date(const char *s, size_t n, int *y, int *m, int *d) {
    if (n == 10) return cal_parse_iso_date(s, n, y, m, d);
    if (!s || (n != 4 && n != 7)) return -1;
    int yy = digits_value(s, 4), mm = 0;
    if (yy < 0) return -1;
    if (n == 7) {
        if (s[4] != '-' || (mm = digits_value(s + 5, 2)) < 0) return -1;
        if (mm < 1 || mm > 12 || yy < 1) return -2;
    } else if (yy < 1) {
        return -2;
    }
    put(y, yy);
    put(m, mm);
    put(d, 0);
    return 0;
}

int cal_parse_period(const char *s, size_t n, int *y, int *first_month,
                     int *last_month) {
    if (!s || (n != 4 && n != 7)) return -1;
    int yy = digits_value(s, 4);
    if (yy < 1) return -1;
    int first = 1, last = 12;
    if (n == 7) {
        if (s[4] != '-') return -1;
        if (s[5] == 'Q') {
            if (s[6] < '1' || s[6] > '4') return -1;
            first = (s[6] - '1') * 3 + 1;
            last = first + 2;
        } else {
            int mm = digits_value(s + 5, 2);
            if (mm < 1 || mm > 12) return -1;
            first = last = mm;
        }
    }
    put(y, yy);
    put(first_month, first);
    put(last_month, last);
    return 0;
}

int cal_parse_month(const char *s, size_t n, int *y, int *m) {
    if (!s || n != 7 || s[5] == 'Q') return -1;
    return cal_parse_period(s, n, y, m, NULL);
}

int cal_period_end(const char *s, size_t n, int *y, int *m, int *d) {
    int yy, last;
    if (cal_parse_period(s, n, &yy, NULL, &last) != 0) return -1;
    put(y, yy);
    put(m, last);
    put(d, cal_days_in_month(yy, last));
    return 0;
}

/* ---------------------------------------------------------------------- */
/* Solar Hijri (Jalali), after jalaali-js                                 */

static const int jal_breaks[] = {-61,  9,    38,   199,  426,  686,  756,
                                 818,  1111, 1181, 1210, 1635, 2060, 2097,
                                 2192, 2262, 2324, 2394, 2456, 3178};
#define JAL_NBREAKS ((int)(sizeof jal_breaks / sizeof jal_breaks[0]))

/* jalaali-js jalCal for jy in CAL_JALALI_MIN_YEAR..MAX: *leap gets the
 * years since the last leap year (0 = jy is leap) and *march the March day
 * of Gregorian year jy + 621 on which Farvardin 1 falls. */
static void jal_cal(int jy, int *leap, int *march) {
    int gy = jy + 621, leap_j = -14, jp = jal_breaks[0], jump = 0;
    for (int i = 1; i < JAL_NBREAKS; i++) {
        int jm = jal_breaks[i];
        jump = jm - jp;
        if (jy < jm) break;
        leap_j += jump / 33 * 8 + jump % 33 / 4;
        jp = jm;
    }
    int n = jy - jp;
    leap_j += n / 33 * 8 + (n % 33 + 3) / 4;
    if (jump % 33 == 4 && jump - n == 4) leap_j++;
    int leap_g = gy / 4 - (gy / 100 + 1) * 3 / 4 - 150;
    *march = 20 + leap_j - leap_g;
    if (jump - n < 6) n = n - jump + (jump + 4) / 33 * 33;
    int l = ((n + 1) % 33 - 1) % 4;
    *leap = l == -1 ? 4 : l;
}

static int jal_year_ok(int jy) {
    return jy >= CAL_JALALI_MIN_YEAR && jy <= CAL_JALALI_MAX_YEAR;
}

/* Day number (cal_days_from_civil scale) of Farvardin 1 of year jy. */
static long jal_year_start(int jy) {
    int leap, march;
    jal_cal(jy, &leap, &march);
    return cal_days_from_civil(jy + 621, 3, march);
}

int cal_jalali_is_leap(int jy) {
    int leap, march;
    if (!jal_year_ok(jy)) return 0;
    jal_cal(jy, &leap, &march);
    return leap == 0;
}

int cal_jalali_days_in_month(int jy, int jm) {
    if (!jal_year_ok(jy) || jm < 1 || jm > 12) return 0;
    if (jm <= 6) return 31;
    if (jm <= 11) return 30;
    return cal_jalali_is_leap(jy) ? 30 : 29;
}

int cal_jalali_to_gregorian(int jy, int jm, int jd, int *gy, int *gm, int *gd) {
    if (jd < 1 || jd > cal_jalali_days_in_month(jy, jm)) return -1;
    long z = jal_year_start(jy) + (jm - 1) * 31 - jm / 7 * (jm - 7) + jd - 1;
    cal_civil_from_days(z, gy, gm, gd);
    return 0;
}

int cal_gregorian_to_jalali(int gy, int gm, int gd, int *jy, int *jm, int *jd) {
    if (!cal_valid_ymd(gy, gm, gd)) return -1;
    long z = cal_days_from_civil(gy, gm, gd);
    int y = gy - 621;
    if (y > CAL_JALALI_MAX_YEAR) y = CAL_JALALI_MAX_YEAR;
    if (y < CAL_JALALI_MIN_YEAR) return -1;
    long start = jal_year_start(y);
    if (z < start) {
        if (--y < CAL_JALALI_MIN_YEAR) return -1;
        start = jal_year_start(y);
    }
    long k = z - start;
    if (k >= 365 + cal_jalali_is_leap(y))
        return -1; /* after the last day of CAL_JALALI_MAX_YEAR */
    put(jy, y);
    if (k <= 185) {
        put(jm, (int)(k / 31) + 1);
        put(jd, (int)(k % 31) + 1);
    } else {
        k -= 186;
        put(jm, (int)(k / 30) + 7);
        put(jd, (int)(k % 30) + 1);
    }
    return 0;
}

/* ---------------------------------------------------------------------- */
/* Non-ASCII digits                                                       */

/* Length of the UTF-8 sequence at s (n > 0 bytes left): 2..4 for a well
 * formed multi-byte sequence, else 1 (ASCII or a stray byte). */
static size_t utf8_len(const unsigned char *s, size_t n) {
    size_t len;
    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        len = 2;
    else if (s[0] >= 0xE0 && s[0] <= 0xEF)
        len = 3;
    else if (s[0] >= 0xF0 && s[0] <= 0xF4)
        len = 4;
    else
        return 1;
    if (len > n) return 1;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80) return 1;
    return len;
}

/* ASCII replacement for the len-byte sequence at s, or 0 for none. With
 * digits_only, only digits are mapped. */
static char map_char(const unsigned char *s, size_t len, int digits_only) {
    if (len == 2) {
        if (s[0] == 0xD9 && s[1] >= 0xA0 && s[1] <= 0xA9) /* U+0660..0669 */
            return (char)('0' + (s[1] - 0xA0));
        if (s[0] == 0xDB && s[1] >= 0xB0 && s[1] <= 0xB9) /* U+06F0..06F9 */
            return (char)('0' + (s[1] - 0xB0));
        if (digits_only) return 0;
        if (s[0] == 0xD9 && s[1] == 0xAB) /* U+066B decimal separator */
            return '.';
        if (s[0] == 0xD8 && s[1] == 0x8D) /* U+060D date separator */
            return '/';
    } else if (len == 3) {
        if (s[0] == 0xE0 && s[1] == 0xA7 && s[2] >= 0xA6 &&
            s[2] <= 0xAF) /* U+09E6..09EF */
            return (char)('0' + (s[2] - 0xA6));
    }
    return 0;
}

size_t cal_digits_to_ascii(const char *in, size_t n, char *out, size_t cap) {
    size_t o = 0;
    if (!out || cap == 0) return 0;
    const unsigned char *s = (const unsigned char *)in;
    for (size_t i = 0; in && i < n;) {
        size_t len = utf8_len(s + i, n - i);
        char c = map_char(s + i, len, 0);
        size_t need = c ? 1 : len;
        if (need > cap - 1 - o) break;
        if (c)
            out[o] = c;
        else
            memcpy(out + o, s + i, len);
        o += need;
        i += len;
    }
    out[o] = '\0';
    return o;
}

int cal_has_non_ascii_digits(const char *s, size_t n) {
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; s && i < n;) {
        size_t len = utf8_len(u + i, n - i);
        if (map_char(u + i, len, 1)) return 1;
        i += len;
    }
    return 0;
}

/* ---------------------------------------------------------------------- */
/* Excel serials                                                          */

int cal_excel_serial_to_ymd(double serial, int date1904, int *y, int *m,
                            int *d) {
    if (serial != serial || serial < 0 || serial >= 2958466.0) return -1;
    long s = (long)serial; /* non-negative, so truncation is floor */
    long z;
    if (!date1904) {
        if (s < 1 || s == 60) return -1;
        z = s < 60 ? s - 25568 : s - 25569; /* 25569 = 1970-01-01 */
    } else {
        z = s - 24107; /* 24107 = 1970-01-01 in the 1904 system */
    }
    int yy, mm, dd;
    cal_civil_from_days(z, &yy, &mm, &dd);
    if (yy > 9999) return -1;
    put(y, yy);
    put(m, mm);
    put(d, dd);
    return 0;
}

/* ---------------------------------------------------------------------- */
/* National date formats                                                  */

/* A format cal_parse_date_fmt knows. */
struct cal_fmt {
    const char *name;    /* the fmt string callers pass */
    const char *pattern; /* Y/M/D placeholders and literal separators */
    int jalali;          /* 1 when the date is Solar Hijri */
};

static const struct cal_fmt cal_fmts[] = {
    {"YYYY-MM-DD", "YYYY-MM-DD", 0},
    {"DD/MM/YYYY", "DD/MM/YYYY", 0},
    {"MM/DD/YYYY", "MM/DD/YYYY", 0},
    {"DD-MM-YYYY", "DD-MM-YYYY", 0},
    {"DD.MM.YYYY", "DD.MM.YYYY", 0},
    {"YYYY/MM/DD", "YYYY/MM/DD", 0},
    {"YYYYMMDD", "YYYYMMDD", 0},
    {"excel", NULL, 0},
    {"jalali:YYYY/MM/DD", "YYYY/MM/DD", 1},
    {"jalali:YYYY-MM-DD", "YYYY-MM-DD", 1},
    {"jalali:DD/MM/YYYY", "DD/MM/YYYY", 1},
    /* a Solar Hijri month: the Gregorian month that holds most of its days,
     * the one its 16th day falls in (a Jalali month begins between the 19th
     * and the 23rd of a Gregorian month; tests/unit/test_calendar.c checks
     * the majority for 1403 and 1404) */
    {"jalali:YYYY/MM", "YYYY/MM", 1},
    {"jalali:YYYY-MM", "YYYY-MM", 1},
    /* a Gregorian month, for periods */
    {"MM/YYYY", "MM/YYYY", 0},
    {"YYYY-MM", "YYYY-MM", 0},
};
#define CAL_NFMTS (sizeof cal_fmts / sizeof cal_fmts[0])

static const struct cal_fmt *find_fmt(const char *fmt) {
    for (size_t i = 0; fmt && i < CAL_NFMTS; i++)
        if (strcmp(fmt, cal_fmts[i].name) == 0) return &cal_fmts[i];
    return NULL;
}

int cal_date_fmt_known(const char *fmt) {
    return find_fmt(fmt) != NULL;
}

int cal_date_fmt_is_month(const char *fmt) {
    const struct cal_fmt *f = find_fmt(fmt);
    return f && f->pattern && !strchr(f->pattern, 'D');
}

/* Bytes of blank (space, tab, LRM, RLM, ALM) at the start of s, or 0. */
static size_t blank_at(const unsigned char *s, size_t n) {
    if (n >= 1 && (s[0] == ' ' || s[0] == '\t')) return 1;
    if (n >= 3 && s[0] == 0xE2 && s[1] == 0x80 &&
        (s[2] == 0x8E || s[2] == 0x8F)) /* U+200E, U+200F */
        return 3;
    if (n >= 2 && s[0] == 0xD8 && s[1] == 0x9C) /* U+061C */
        return 2;
    return 0;
}

/* Bytes of blank at the end of s (n bytes), or 0. */
static size_t blank_before(const unsigned char *s, size_t n) {
    if (n >= 1 && (s[n - 1] == ' ' || s[n - 1] == '\t')) return 1;
    if (n >= 3 && blank_at(s + n - 3, 3) == 3) return 3;
    if (n >= 2 && blank_at(s + n - 2, 2) == 2) return 2;
    return 0;
}

/* Match ASCII text s against pattern pat. With flex, MM and DD take 1 or 2
 * digits, else exactly 2. Returns 0 and the fields, or -1. */
static int match_pattern(const char *s, size_t n, const char *pat, int flex,
                         int *y, int *m, int *d) {
    size_t i = 0;
    int yy = -1, mm = -1, dd = -1;
    while (*pat) {
        char p = *pat;
        if (p == 'Y') {
            if (n - i < 4 || (yy = digits_value(s + i, 4)) < 0) return -1;
            i += 4;
            pat += 4;
        } else if (p == 'M' || p == 'D') {
            size_t k = 0;
            int v = 0;
            while (k < 2 && i + k < n && is_digit(s[i + k])) {
                v = v * 10 + (s[i + k] - '0');
                k++;
            }
            if (k == 0 || (!flex && k != 2)) return -1;
            if (p == 'M')
                mm = v;
            else
                dd = v;
            i += k;
            pat += 2;
        } else {
            if (i >= n || s[i] != p) return -1;
            i++;
            pat++;
        }
    }
    if (i != n) return -1;
    *y = yy;
    *m = mm;
    *d = dd;
    return 0;
}

/* Parse an Excel serial written as [-]digits[.digits] into a date. */
static int parse_excel(const char *s, size_t n, int *y, int *m, int *d) {
    size_t i = 0;
    int neg = 0;
    long v = 0;
    if (i < n && s[i] == '-') {
        neg = 1;
        i++;
    }
    size_t start = i;
    while (i < n && is_digit(s[i])) {
        if (v < 100000000L) v = v * 10 + (s[i] - '0');
        i++;
    }
    if (i == start) return -1;
    if (i < n && s[i] == '.') {
        size_t frac = ++i;
        while (i < n && is_digit(s[i]))
            i++;
        if (i == frac) return -1;
    }
    if (i != n) return -1;
    if (neg || cal_excel_serial_to_ymd((double)v, 0, y, m, d) != 0) return -2;
    return 0;
}

int cal_parse_date_fmt(const char *s, size_t n, const char *fmt, int *y, int *m,
                       int *d) {
    const struct cal_fmt *f = find_fmt(fmt);
    if (!f) return -3;
    if (!s) return -1;
    const unsigned char *u = (const unsigned char *)s;
    size_t b, e = n, k;
    for (b = 0; (k = blank_at(u + b, e - b)) > 0;)
        b += k;
    while (e > b && (k = blank_before(u + b, e - b)) > 0)
        e -= k;
    char buf[128];
    if (e == b || e - b >= sizeof buf) return -1;
    size_t len = cal_digits_to_ascii(s + b, e - b, buf, sizeof buf);

    int yy, mm, dd;
    if (!f->pattern) return parse_excel(buf, len, y, m, d);
    int flex = strcmp(f->pattern, "YYYYMMDD") != 0;
    if (match_pattern(buf, len, f->pattern, flex, &yy, &mm, &dd) != 0)
        return -1;
    if (dd < 0) dd = 16; /* a month: the day that places it (above) */
    if (f->jalali) {
        int gy, gm, gd;
        if (cal_jalali_to_gregorian(yy, mm, dd, &gy, &gm, &gd) != 0) return -2;
        yy = gy;
        mm = gm;
        dd = gd;
    } else if (!cal_valid_ymd(yy, mm, dd)) {
        return -2;
    }
    put(y, yy);
    put(m, mm);
    put(d, dd);
    return 0;
}

int cal_format_ymd(int y, int m, int d, char out[11]) {
    if (!cal_valid_ymd(y, m, d)) {
        out[0] = '\0';
        return -1;
    }
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = '\0';
    return 0;
}
