/* test_fold.c: the one Arabic-script folding (lib/fold.h), through both of
 * its callers: the label fold of maps (map_fold) and the name
 * normalisation of record linkage (norm_text). Each case is a pair that
 * must fold alike in both, or stay apart in both. */
#include "fold.h"
#include "map.h"
#include "normalize.h"
#include "t.h"

#include <stdlib.h>

/* Pairs that are one label and one name. */
static const char *same[][2] = {
    {"علي", "علی"},                         /* Arabic yeh -> Persian yeh */
    {"مصطفى", "مصطفی"},                     /* alef maksura */
    {"علے", "علی"},                         /* Urdu yeh barree */
    {"ملك", "ملک"},                         /* Arabic kaf -> keheh */
    {"أحمد", "احمد"},                       /* alef with hamza above */
    {"إيران", "ایران"},                     /* alef with hamza below, yeh */
    {"آرش", "ارش"},                         /* alef with madda */
    {"ٱلله", "الله"},                       /* alef wasla */
    {"فاطمة", "فاطمه"},                     /* teh marbuta -> heh */
    {"اللہ", "الله"},                       /* Urdu heh goal -> heh */
    {"خانۀ", "خانه"},                       /* heh with yeh above */
    {"مؤمن", "مومن"},                       /* waw with hamza */
    {"مُحَمَّد", "محمد"},                       /* harakat */
    {"محمد\xd9\x94", "محمد"},               /* a hamza mark U+0654 */
    {"محمد\xdb\x97", "محمد"},               /* a Quranic mark U+06D7 */
    {"محـــمد", "محمد"},                    /* tatweel */
    {"حسین\xe2\x80\x8c", "حسین"},           /* ZWNJ */
    {"\xe2\x80\x8fرضا\xe2\x80\x8e", "رضا"}, /* RLM, LRM */
    {"\xef\xbb\xbfرضا", "رضا"},             /* BOM */
    {"۱۴۰۳", "1403"},                       /* Persian digits */
    {"١٤٠٣", "1403"},                       /* Arabic-Indic digits */
};

/* Pairs that must stay apart in both. */
static const char *apart[][2] = {
    {"کار", "کاری"},
    {"حسن", "حسین"},
    {"1403", "1404"},
};

static int eq_map(const char *a, const char *b) {
    size_t na, nb;
    const char *fa = map_fold(NULL, a, strlen(a), &na);
    char *ca = malloc(na + 1);
    memcpy(ca, fa, na);
    const char *fb = map_fold(NULL, b, strlen(b), &nb);
    int eq = na == nb && memcmp(ca, fb, na) == 0 && na > 0;
    free(ca);
    return eq;
}

static int eq_norm(norm_ctx *c, const char *a, const char *b) {
    char oa[128], ob[128];
    size_t na = norm_text(c, a, strlen(a), oa, sizeof oa);
    size_t nb = norm_text(c, b, strlen(b), ob, sizeof ob);
    return na != NORM_ERROR && nb != NORM_ERROR && na > 0 && na == nb &&
           strcmp(oa, ob) == 0;
}

T_TEST(labels_and_names_fold_alike) {
    char err[256];
    norm_ctx *c = norm_open(err, sizeof err);
    T_CHECK(c != NULL);
    if (!c) return;
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        if (!eq_map(same[i][0], same[i][1]))
            fprintf(stderr, "  map_fold differs: %s / %s\n", same[i][0],
                    same[i][1]);
        if (!eq_norm(c, same[i][0], same[i][1]))
            fprintf(stderr, "  norm_text differs: %s / %s\n", same[i][0],
                    same[i][1]);
        T_CHECK(eq_map(same[i][0], same[i][1]));
        T_CHECK(eq_norm(c, same[i][0], same[i][1]));
    }
    for (size_t i = 0; i < sizeof apart / sizeof apart[0]; i++) {
        T_CHECK(!eq_map(apart[i][0], apart[i][1]));
        T_CHECK(!eq_norm(c, apart[i][0], apart[i][1]));
    }
    norm_close(c);
}

T_TEST(fold_arabic_units) {
    T_CHECK_INT(fold_arabic(0x064A), 0x06CC);
    T_CHECK_INT(fold_arabic(0x06D2), 0x06CC);
    T_CHECK_INT(fold_arabic(0x0643), 0x06A9);
    T_CHECK_INT(fold_arabic(0x0625), 0x0627);
    T_CHECK_INT(fold_arabic(0x0629), 0x0647);
    T_CHECK_INT(fold_arabic(0x06C1), 0x0647);
    T_CHECK_INT(fold_arabic(0x0624), 0x0648);
    T_CHECK_INT(fold_arabic(0x0651), FOLD_DROP); /* shadda */
    T_CHECK_INT(fold_arabic(0x0640), FOLD_DROP); /* tatweel */
    T_CHECK_INT(fold_arabic(0x200C), FOLD_DROP); /* ZWNJ */
    /* letters a name fold changes on top, a label keeps */
    T_CHECK_INT(fold_arabic(0x0636), 0x0636); /* zad */
    T_CHECK_INT(fold_arabic(0x0679), 0x0679); /* tteh */
    T_CHECK_INT(fold_arabic('a'), 'a');
    T_CHECK_INT(fold_arabic(0x06F1), 0x06F1); /* digits: the callers' */
}

/* A label context of its own gives what map_fold gives. */
T_TEST(fold_label_context) {
    fold_ctx *f = fold_open();
    T_CHECK(f != NULL);
    size_t n;
    const char *s = fold_label(f, "  Human \t TRAFFICKING ", 22, &n);
    T_CHECK(n == 17 && memcmp(s, "human trafficking", 17) == 0);
    s = fold_label(f, "ＴＨＢ إيران", strlen("ＴＨＢ إيران"), &n);
    char a[64];
    snprintf(a, sizeof a, "%.*s", (int)n, s);
    T_CHECK_STR(a, "thb ایران");
    fold_close(f);
    fold_close(NULL);
}

int main(void) {
    T_RUN(labels_and_names_fold_alike);
    T_RUN(fold_arabic_units);
    T_RUN(fold_label_context);
    return T_END();
}
