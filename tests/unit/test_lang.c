/*
 * test_lang.c: language codes and locales, the conversions a translation
 * must keep, the catalogue's English fallback, and that every catalogue
 * in schemas/lang loads with none of its translations refused.
 */
#include "t.h"

#include "lang.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

int main(void) {
    T_RUN(parse);
    T_RUN(env);
    T_RUN(conversions);
    T_RUN(fallback);
    T_RUN(catalogues);
    return T_END();
}
