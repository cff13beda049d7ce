/*
 * test_lang.c: language codes and locales, the conversions a translation
 * must keep, the catalogue's English fallback, that every catalogue in
 * schemas/lang loads with none of its translations refused, and the
 * gettext .mo reader (both byte orders, every kind of broken file) that
 * iso-codes' country names are read with.
 */
#include "t.h"

#include "lang.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

T_TEST(parse) {
    T_CHECK_INT(lang_parse("ur"), LANG_UR);
    T_CHECK_INT(lang_parse("UR"), LANG_UR);
    T_CHECK_INT(lang_parse("fa_AF.UTF-8"), LANG_FA);
    T_CHECK_INT(lang_parse("fa-IR"), LANG_FA);
    T_CHECK_INT(lang_parse("prs_AF"), LANG_FA); /* Dari, ISO 639-3 */
    T_CHECK_INT(lang_parse("ps_AF@x"), LANG_PS);
    T_CHECK_INT(lang_parse("ar_IQ.UTF-8"), LANG_AR);
    T_CHECK_INT(lang_parse("bn_BD"), LANG_BN);
    T_CHECK_INT(lang_parse("tr_TR.UTF-8"), LANG_TR);
    T_CHECK_INT(lang_parse("en_GB"), LANG_EN);
    T_CHECK_INT(lang_parse("de_DE"), -1);
    T_CHECK_INT(lang_parse("C.UTF-8"), -1);
    T_CHECK_INT(lang_parse("u"), -1);
    T_CHECK_INT(lang_parse("urdu"), -1);
    T_CHECK_INT(lang_parse(""), -1);
    T_CHECK_INT(lang_parse(NULL), -1);
    T_CHECK_INT(lang_rtl(LANG_UR) && lang_rtl(LANG_FA) && lang_rtl(LANG_PS) &&
                    lang_rtl(LANG_AR),
                1);
    T_CHECK_INT(lang_rtl(LANG_EN) || lang_rtl(LANG_BN) || lang_rtl(LANG_TR), 0);
    T_CHECK_STR(lang_code(LANG_PS), "ps");
    T_CHECK_STR(lang_code(99), "en");
}

T_TEST(env) {
    setenv("LANG", "fa_AF.UTF-8", 1);
    unsetenv("LC_ALL");
    unsetenv("LC_MESSAGES");
    T_CHECK_INT(lang_from_env(), LANG_FA);
    setenv("LC_MESSAGES", "tr_TR.UTF-8", 1);
    T_CHECK_INT(lang_from_env(), LANG_TR);
    setenv("LC_ALL", "C.UTF-8", 1); /* set, and not ours: English */
    T_CHECK_INT(lang_from_env(), LANG_EN);
    setenv("LC_ALL", "", 1); /* empty counts as unset */
    T_CHECK_INT(lang_from_env(), LANG_TR);
    unsetenv("LC_ALL");
    unsetenv("LC_MESSAGES");
    unsetenv("LANG");
    T_CHECK_INT(lang_from_env(), LANG_EN);
}

T_TEST(conversions) {
    T_CHECK_INT(lang_same_conversions("%s is %zu", "%s ist %zu"), 1);
    T_CHECK_INT(lang_same_conversions("%s is %zu", "%zu ist %s"), 0);
    T_CHECK_INT(lang_same_conversions("%s is", "%s ist %s"), 0);
    T_CHECK_INT(lang_same_conversions("%s is", "ist"), 0);
    T_CHECK_INT(lang_same_conversions("100%% %s", "%s 100%%"), 1);
    T_CHECK_INT(lang_same_conversions("%.*s of %ld", "%.*s von %ld"), 1);
    T_CHECK_INT(lang_same_conversions("%.*s of %ld", "%s von %ld"), 0);
    T_CHECK_INT(lang_same_conversions("%s", "%n"), 0);
    T_CHECK_INT(lang_same_conversions("no conversions", "keine"), 1);
    T_CHECK_INT(lang_same_conversions("%s", "%"), 0); /* cut at the end */
}

T_TEST(fallback) {
    char path[] = "/tmp/relec-lang-XXXXXX";
    int fd = mkstemp(path);
    T_CHECK(fd >= 0);
    if (fd < 0) return;
    FILE *f = fdopen(fd, "w");
    fputs("messages:\n"
          "  \"%s is not a number\": \"%s keine Zahl\"\n"
          "  \"%s of %zu\": \"%d von %zu\"\n" /* refused: %d for %s */
          "  \"untranslated\": \"\"\n",
          f);
    fclose(f);
    size_t rejected = 9;
    char err[512];
    T_CHECK_INT(lang_load_file(path, &rejected, err, sizeof err), 1);
    T_CHECK_INT((long)rejected, 1);
    T_CHECK(strstr(err, "conversions differ") != NULL);
    T_CHECK_STR(lang_tr("%s is not a number"), "%s keine Zahl");
    T_CHECK_STR(lang_tr("%s of %zu"), "%s of %zu");
    T_CHECK_STR(lang_tr("untranslated"), "untranslated");
    T_CHECK_STR(lang_tr("never in the file"), "never in the file");
    unlink(path);
    T_CHECK_INT(lang_load_file(path, &rejected, err, sizeof err), -1);
    T_CHECK_STR(lang_tr("%s is not a number"), "%s is not a number");
    lang_use(LANG_EN, NULL, "test");
}

/* Every catalogue checked in loads whole: none of its translations is
 * refused (a second reader's slip in a conversion fails here). */
T_TEST(catalogues) {
    for (int l = LANG_EN + 1; l < LANG_COUNT; l++) {
        char path[256], err[512];
        snprintf(path, sizeof path, "schemas/lang/%s.yaml", lang_code(l));
        size_t rejected = 0;
        long n = lang_load_file(path, &rejected, err, sizeof err);
        if (n < 10 || rejected) fprintf(stderr, "%s: %ld, %s\n", path, n, err);
        T_CHECK(n >= 10);
        T_CHECK_INT((long)rejected, 0);
    }
    lang_use(LANG_EN, NULL, "test");
}

/* A .mo file of the N pairs IDS/STRS (msgids sorted) in the byte order
 * BIG, written into BUF (CAP bytes); its size. The layout msgfmt writes:
 * header, msgid table, translation table, then the strings. */
static size_t mo_build(unsigned char *buf, size_t cap, int big, size_t n,
                       const char *const *ids, const char *const *strs) {
    size_t at = 28 + 16 * n;
    memset(buf, 0, cap);
    uint32_t hdr[7] = {0x950412deu, 0, (uint32_t)n, 28, 28 + 8 * (uint32_t)n,
                       0,           0};
    for (size_t t = 0; t < 2 * n; t++) {
        const char *s = t < n ? ids[t] : strs[t - n];
        uint32_t pair[2] = {(uint32_t)strlen(s), (uint32_t)at};
        memcpy(buf + 28 + 8 * t, pair, 8);
        memcpy(buf + at, s, strlen(s) + 1);
        at += strlen(s) + 1;
    }
    memcpy(buf, hdr, sizeof hdr);
    for (size_t i = 0; big && i < at - at % 4 && i < 28 + 16 * n; i += 4) {
        uint32_t v;
        memcpy(&v, buf + i, 4);
        v = __builtin_bswap32(v);
        memcpy(buf + i, &v, 4);
    }
    return at;
}

static void put_file(const char *path, const unsigned char *b, size_t n) {
    FILE *f = fopen(path, "wb");
    T_CHECK(f != NULL);
    if (!f) return;
    fwrite(b, 1, n, f);
    fclose(f);
}

static const char *const mo_ids[] = {"",         "Iraq",   "Oman",
                                     "Pakistan", "Punjab", "Zed"};
static const char *const mo_strs[] = {"Content-Type: text/plain\n",
                                      "Irak",
                                      "Umman",
                                      "Pakistan'ın",
                                      "",
                                      "Z\0plural"};

T_TEST(mo) {
    char dir[] = "/tmp/relec-mo-XXXXXX", path[700], err[800];
    T_CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/x.mo", dir);
    unsigned char b[1024];
    for (int big = 0; big < 2; big++) {
        size_t n = mo_build(b, sizeof b, big, 6, mo_ids, mo_strs);
        put_file(path, b, n);
        lang_mo *m = lang_mo_open(path, err, sizeof err);
        T_CHECK(m != NULL);
        T_CHECK_INT((long)lang_mo_count(m), 6);
        T_CHECK_STR(lang_mo_find(m, "Oman"), "Umman");
        T_CHECK_STR(lang_mo_find(m, "Iraq"), "Irak");
        T_CHECK_STR(lang_mo_find(m, "Pakistan"), "Pakistan'ın");
        T_CHECK_STR(lang_mo_find(m, "Zed"), "Z");   /* a plural's first form */
        T_CHECK(lang_mo_find(m, "Punjab") == NULL); /* empty: untranslated */
        T_CHECK(lang_mo_find(m, "Nepal") == NULL);
        T_CHECK(lang_mo_find(m, "Zzz") == NULL);
        T_CHECK(lang_mo_find(m, "A") == NULL);
        lang_mo_free(m);
    }
    size_t n = mo_build(b, sizeof b, 0, 6, mo_ids, mo_strs);
    /* each way of being broken: refused with a reason, never read past */
    struct {
        size_t off;  /* byte to change */
        uint32_t v;  /* its new value (a u32) */
        size_t size; /* the file's size, 0 for n */
        const char *why;
    } bad[] = {
        {0, 0x12345678u, 0, "no gettext magic number"},
        {4, 0x00020000u, 0, "a revision other than 0 or 1"},
        {8, 1000000u, 0, "runs outside the file"},          /* N too large */
        {12, 0xfffffff0u, 0, "runs outside the file"},      /* table offset */
        {28 + 8, 4000u, 0, "runs outside the file"},        /* a length */
        {28 + 12, 0xffffffffu, 0, "runs outside the file"}, /* an offset */
        {28 + 8, 3u, 0, "runs outside the file"},    /* not NUL-ended there */
        {28 + 12, 28 + 16 * 6 + 6, 0, "not sorted"}, /* "Iraq" -> "Oman" */
        {0, 0x950412deu, 20, "too short"},
        {0, 0x950412deu, n - 1, "runs outside the file"}, /* cut short */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        unsigned char c[1024];
        memcpy(c, b, sizeof c);
        memcpy(c + bad[i].off, &bad[i].v, 4);
        put_file(path, c, bad[i].size ? bad[i].size : n);
        err[0] = 0;
        lang_mo *m = lang_mo_open(path, err, sizeof err);
        T_CHECK(m == NULL);
        if (!strstr(err, bad[i].why) || !strstr(err, "is not a gettext"))
            fprintf(stderr, "bad[%zu]: '%s'\n", i, err);
        T_CHECK(strstr(err, bad[i].why) != NULL);
        lang_mo_free(m);
    }
    unlink(path);
    T_CHECK(lang_mo_open(path, err, sizeof err) == NULL);
    T_CHECK(strstr(err, "cannot open '") && strstr(err, "No such file"));
    /* lang_iso_name: LOCALEDIR/tr/LC_MESSAGES/iso_3166-1.mo */
    char sub[600];
    snprintf(sub, sizeof sub, "%s/tr", dir);
    mkdir(sub, 0700);
    snprintf(sub, sizeof sub, "%s/tr/LC_MESSAGES", dir);
    mkdir(sub, 0700);
    snprintf(path, sizeof path, "%s/iso_3166-1.mo", sub);
    put_file(path, b, n);
    setenv("RELEC_LOCALEDIR", dir, 1);
    T_CHECK_INT(lang_iso_domain("iso_3166-1"), LANG_ISO_3166_1);
    T_CHECK_INT(lang_iso_domain("iso_3166-2"), LANG_ISO_3166_2);
    T_CHECK_INT(lang_iso_domain("iso_639-2"), 0);
    T_CHECK_STR(lang_iso_name(LANG_ISO_3166_1, LANG_TR, "Iraq"), "Irak");
    T_CHECK_STR(
        lang_iso_name(LANG_ISO_3166_1 | LANG_ISO_3166_2, LANG_TR, "Iraq"),
        "Irak");
    T_CHECK(lang_iso_name(LANG_ISO_3166_2, LANG_TR, "Iraq") == NULL);
    T_CHECK(lang_iso_name(LANG_ISO_3166_1, LANG_TR, "Punjab") == NULL);
    T_CHECK(lang_iso_name(LANG_ISO_3166_1, LANG_EN, "Iraq") == NULL);
    unsetenv("RELEC_LOCALEDIR");
    unlink(path);
    rmdir(sub);
    snprintf(sub, sizeof sub, "%s/tr", dir);
    rmdir(sub);
    rmdir(dir);
}

int main(void) {
    T_RUN(parse);
    T_RUN(env);
    T_RUN(conversions);
    T_RUN(fallback);
    T_RUN(catalogues);
    T_RUN(mo);
    return T_END();
}
