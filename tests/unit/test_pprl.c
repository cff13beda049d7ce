/*
 * test_pprl.c: masks of personal values (mask.h), pseudonyms, CLK
 * encodings, scores and linkage (pprl.h). Keys are made here from fixed
 * bytes; they protect nothing.
 */
#include "mask.h"
#include "pprl.h"
#include "t.h"

#include <stdlib.h>

static unsigned char key1[32], key2[32], link1[32];

static void keys(void) {
    for (int i = 0; i < 32; i++) {
        key1[i] = (unsigned char)i;
        key2[i] = (unsigned char)(i + 1);
        link1[i] = (unsigned char)(100 + i);
    }
}

T_TEST(masks) {
    char m[256];
    mask_value("35202-1234567-2", 15, 1, m, sizeof m);
    T_CHECK_STR(m, "3520*-*******-2 (15 characters: 13 digits, 2 other)");
    mask_value("Ahmad", 5, 1, m, sizeof m);
    T_CHECK_STR(m, "Aa*** (5 letters, Latin)");
    mask_value("Ahmad", 5, 0, m, sizeof m);
    T_CHECK_STR(m, "Aa***");
    mask_value("\xd9\x85\xd8\xad\xd9\x85\xd8\xaf 12", 11, 1, m, sizeof m);
    T_CHECK_STR(m, "**** ** (7 characters: 4 letters, 2 digits, 1 space; "
                   "Arabic)");
    mask_value("1990-13-45", 10, 1, m, sizeof m); /* no digit of a date */
    T_CHECK_STR(m, "****-**-** (10 characters: 8 digits, 2 other)");
    mask_value("Ab\xff", 3, 1, m, sizeof m);
    T_CHECK_STR(m, "Aa? (3 characters: 2 letters, 1 other; Latin)");
    T_CHECK_INT(mask_value("", 0, 1, m, sizeof m), 0);
    T_CHECK_STR(m, "");
    /* a long value: the mask stops, the count does not */
    char longv[100];
    memset(longv, 'x', sizeof longv);
    mask_value(longv, sizeof longv, 1, m, sizeof m);
    T_CHECK(strstr(m, "...") != NULL);
    T_CHECK(strstr(m, "(100 letters, Latin)") != NULL);
    mask_value("Ahmad", 5, 1, m, 8); /* cut, terminated */
    T_CHECK_INT(strlen(m) < 8, 1);
}

T_TEST(pseudonyms) {
    char err[256], a[64], b[64], c[64];
    pprl *p = pprl_new(key1, NULL, err, sizeof err), *q;
    T_CHECK(p != NULL);
    if (!p) return;
    T_CHECK_INT(pprl_pseudonym(p, "given_name", PPRL_NAME, "Muhammad", 8, a),
                PPRL_PSEUDO_LEN);
    pprl_pseudonym(p, "given_name", PPRL_NAME,
                   "\xd9\x85\xd8\xad\xd9\x85\xd8\xaf", 8, b);
    T_CHECK_STR(a, b); /* Muhammad = محمد */
    T_CHECK(pprl_is_pseudonym(a, strlen(a)));
    T_CHECK(!pprl_is_pseudonym("Muhammad", 8));
    T_CHECK(!pprl_is_pseudonym("ps1-0123", 8));
    pprl_pseudonym(p, "father_name", PPRL_NAME, "Muhammad", 8, c);
    T_CHECK(strcmp(a, c) != 0); /* the field is part of it */
    pprl_pseudonym(p, "id_document_number", PPRL_TEXT, "35202-1234567-1", 15,
                   b);
    pprl_pseudonym(p, "id_document_number", PPRL_TEXT, "3520212345671", 13, c);
    T_CHECK_STR(b, c);
    T_CHECK_INT(pprl_pseudonym(p, "given_name", PPRL_NAME, " - ", 3, c), 0);
    T_CHECK_STR(c, "");
    q = pprl_new(key2, NULL, err, sizeof err);
    if (q) {
        pprl_pseudonym(q, "given_name", PPRL_NAME, "Muhammad", 8, b);
        T_CHECK(strcmp(a, b) != 0); /* another key, another pseudonym */
    }
    pprl_free(q);
    pprl_free(p);
}

/* Encodes one person into R. */
static void person(pprl *p, pprl_rec *r, const char *fam, const char *giv,
                   const char *fat, const char *dob, const char *id) {
    pprl_rec_begin(r);
    pprl_rec_add(p, r, "family_name", PPRL_NAME, PPRL_ROLE_FAMILY, fam,
                 strlen(fam));
    pprl_rec_add(p, r, "given_name", PPRL_NAME, PPRL_ROLE_GIVEN, giv,
                 strlen(giv));
    pprl_rec_add(p, r, "father_name", PPRL_NAME, PPRL_ROLE_FATHER, fat,
                 strlen(fat));
    pprl_rec_add(p, r, "date_of_birth", PPRL_DATE, PPRL_ROLE_DOB, dob,
                 strlen(dob));
    pprl_rec_add(p, r, "id_document_number", PPRL_TEXT, PPRL_ROLE_ID, id,
                 strlen(id));
}

T_TEST(encodings) {
    char err[256];
    pprl *p = pprl_new(key1, link1, err, sizeof err);
    pprl *p2 = pprl_new(key2, link1, err, sizeof err);
    T_CHECK(p && p2);
    if (!p || !p2) return;
    pprl_rec *a = malloc(sizeof *a), *b = malloc(sizeof *b);
    person(p, a, "Khan", "Muhammad", "S/O Ghulam Ali", "1990-05-06",
           "35202-1234567-1");
    person(p2, b, "Khan", "Muhammad", "Ghulam Ali", "1990-05-06",
           "3520212345671");
    /* the link key alone decides the encoding: both owners agree */
    T_CHECK(pprl_dice(a->clk, b->clk) > 0.999);
    char ba[32], bb[32];
    for (int i = 0; i < PPRL_NBLOCKS; i++) {
        pprl_rec_block(p, a, i, ba);
        pprl_rec_block(p2, b, i, bb);
        T_CHECK_STR(ba, bb);
    }
    /* swapped names, swapped day and month: still a match */
    person(p, b, "Muhammad", "Khan", "Ghulam Ali", "1990-06-05", "");
    T_CHECK(pprl_score(a->clk, b->clk) >= 3.5);
    /* a namesake with another birth date and father: no match */
    person(p, b, "Khan", "Muhammad", "Abdul Rahim", "1975-11-23", "");
    T_CHECK(pprl_score(a->clk, b->clk) < 2);
    /* a name alone never makes a match */
    person(p, b, "Khan", "Muhammad", "", "", "");
    T_CHECK(pprl_score(a->clk, b->clk) <= 2.0);
    T_CHECK(pprl_score(a->clk, a->clk) > 9);
    /* base64 round trip through the linker */
    char clk[PPRL_CLK_B64];
    pprl_rec_clk(a, clk);
    T_CHECK_INT(strlen(clk), 172); /* 4 * ceil(128 / 3) */
    free(a);
    free(b);
    pprl_free(p);
    pprl_free(p2);
}

T_TEST(linkage) {
    char err[256];
    pprl *p = pprl_new(key1, link1, err, sizeof err);
    if (!p) return;
    static const char *rows[][5] = {
        {"Khan", "Muhammad", "Ghulam Ali", "1990-05-06", ""},
        {"Hussaini", "Ali", "Reza", "1985-02-03", ""},
        {"Khan", "Mohammed", "Ghulam Ali", "1990-05-06", ""},
        {"Husaini", "Ali", "Riza", "1985-02-03", ""},
        {"Khan", "Muhammad", "Ghulam Ali", "1990-05-06", ""}};
    pprl_link *l = pprl_link_new();
    pprl_rec r;
    for (int i = 0; i < 5; i++) {
        person(p, &r, rows[i][0], rows[i][1], rows[i][2], rows[i][3],
               rows[i][4]);
        char clk[PPRL_CLK_B64], blk[PPRL_NBLOCKS][32];
        const char *bp[PPRL_NBLOCKS];
        size_t bn[PPRL_NBLOCKS];
        pprl_rec_clk(&r, clk);
        for (int k = 0; k < PPRL_NBLOCKS; k++) {
            bn[k] = pprl_rec_block(p, &r, k, blk[k]);
            bp[k] = blk[k];
        }
        T_CHECK_INT(pprl_link_add(l, i < 2 ? 0 : 1, clk, strlen(clk), bp, bn,
                                  PPRL_NBLOCKS),
                    0);
    }
    T_CHECK_INT(pprl_link_add(l, 0, "AAAA", 4, NULL, NULL, 0), -1);
    pprl_link_stats st;
    pprl_link_run(l, 3.5, 0, 1000, &st);
    T_CHECK_INT(pprl_link_rows(l), 5);
    T_CHECK_INT(pprl_link_cluster(l, 0), 0);
    T_CHECK_INT(pprl_link_cluster(l, 1), 1);
    T_CHECK_INT(pprl_link_cluster(l, 2), 0);
    T_CHECK_INT(pprl_link_cluster(l, 3), 1);
    T_CHECK_INT(pprl_link_cluster(l, 4), 0);
    T_CHECK(pprl_link_score(l, 0) >= 3.5);
    /* one row per file: row 4 (file 1) cannot join rows 0 and 2 both */
    pprl_link_run(l, 3.5, 1, 1000, &st);
    T_CHECK(pprl_link_cluster(l, 2) != pprl_link_cluster(l, 4));
    T_CHECK_INT(pprl_link_cluster(l, 0) == pprl_link_cluster(l, 2) ||
                    pprl_link_cluster(l, 0) == pprl_link_cluster(l, 4),
                1);
    /* a block bigger than the limit is skipped and counted */
    pprl_link_run(l, 3.5, 0, 1, &st);
    T_CHECK(st.big_blocks > 0);
    pprl_link_free(l);
    pprl_free(p);
}

int main(void) {
    keys();
    T_RUN(masks);
    T_RUN(pseudonyms);
    T_RUN(encodings);
    T_RUN(linkage);
    return T_END();
}
