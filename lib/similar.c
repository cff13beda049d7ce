/*
 * similar.c: see similar.h.
 */
#include "similar.h"

#include <string.h>

static size_t clip(const char *s, size_t n) {
    if (!s) return 0;
    return n > SIM_MAX_LEN ? SIM_MAX_LEN : n;
}

double sim_jaro_winkler(const char *a, size_t an, const char *b, size_t bn) {
    unsigned char amatch[SIM_MAX_LEN], bmatch[SIM_MAX_LEN];
    size_t window, i, j, k, m = 0, t = 0, l = 0;
    double jaro;

    an = clip(a, an);
    bn = clip(b, bn);
    if (an == 0 && bn == 0) return 1.0;
    if (an == 0 || bn == 0) return 0.0;
    window = (an > bn ? an : bn) / 2;
    window = window ? window - 1 : 0;
    memset(amatch, 0, an);
    memset(bmatch, 0, bn);
    for (i = 0; i < an; i++) {
        size_t lo = i > window ? i - window : 0;
        size_t hi = i + window + 1 < bn ? i + window + 1 : bn;
        for (j = lo; j < hi; j++) {
            if (!bmatch[j] && a[i] == b[j]) {
                amatch[i] = bmatch[j] = 1;
                m++;
                break;
            }
        }
    }
    if (m == 0) return 0.0;
    for (i = 0, k = 0; i < an; i++) {
        if (!amatch[i]) continue;
        while (!bmatch[k])
            k++;
        if (a[i] != b[k]) t++;
        k++;
    }
    jaro = ((double)m / (double)an + (double)m / (double)bn +
            ((double)m - (double)t / 2.0) / (double)m) /
           3.0;
    while (l < 4 && l < an && l < bn && a[l] == b[l])
        l++;
    return jaro + (double)l * 0.1 * (1.0 - jaro);
}

static int min3(int x, int y, int z) {
    int m = x < y ? x : y;
    return m < z ? m : z;
}

int sim_damerau_levenshtein(const char *a, size_t an, const char *b,
                            size_t bn) {
    int r0[SIM_MAX_LEN + 1], r1[SIM_MAX_LEN + 1], r2[SIM_MAX_LEN + 1];
    int *pp = r0, *p = r1, *c = r2; /* rows i-2, i-1, i */
    size_t i, j;

    an = clip(a, an);
    bn = clip(b, bn);
    for (j = 0; j <= bn; j++)
        p[j] = (int)j;
    for (i = 1; i <= an; i++) {
        int *tmp;
        c[0] = (int)i;
        for (j = 1; j <= bn; j++) {
            int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            c[j] = min3(p[j] + 1, c[j - 1] + 1, p[j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
                a[i - 2] == b[j - 1] && pp[j - 2] + 1 < c[j])
                c[j] = pp[j - 2] + 1;
        }
        tmp = pp;
        pp = p;
        p = c;
        c = tmp;
    }
    return p[bn];
}

typedef struct {
    const char *s; /* token start */
    size_t n;      /* token length */
} sim_tok;

/* Splits s on bytes <= ' ' into at most SIM_MAX_TOKENS tokens. */
static size_t split(const char *s, size_t n, sim_tok *tok) {
    size_t i = 0, k = 0;

    if (!s) return 0;
    while (i < n && k < SIM_MAX_TOKENS) {
        while (i < n && (unsigned char)s[i] <= ' ')
            i++;
        if (i >= n) break;
        tok[k].s = s + i;
        while (i < n && (unsigned char)s[i] > ' ')
            i++;
        tok[k].n = (size_t)(s + i - tok[k].s);
        k++;
    }
    return k;
}

double sim_token_jaro_winkler(const char *a, size_t an, const char *b,
                              size_t bn) {
    sim_tok ta[SIM_MAX_TOKENS], tb[SIM_MAX_TOKENS];
    double best_a[SIM_MAX_TOKENS] = {0}, best_b[SIM_MAX_TOKENS] = {0};
    double sum = 0.0;
    size_t ka = split(a, an, ta), kb = split(b, bn, tb), i, j;

    if (ka == 0 && kb == 0) return 1.0;
    if (ka == 0 || kb == 0) return 0.0;
    for (i = 0; i < ka; i++) {
        for (j = 0; j < kb; j++) {
            double s = sim_jaro_winkler(ta[i].s, ta[i].n, tb[j].s, tb[j].n);
            if (s > best_a[i]) best_a[i] = s;
            if (s > best_b[j]) best_b[j] = s;
        }
    }
    for (i = 0; i < ka; i++)
        sum += best_a[i];
    for (j = 0; j < kb; j++)
        sum += best_b[j];
    return sum / (double)(ka + kb);
}

/* Soundex digit of a lowercase letter; '0' for vowels and y, 'h' for h/w. */
static char sdx_code(char ch) {
    static const char codes[] = "01230120022455012623010202";
    /*                           abcdefghijklmnopqrstuvwxyz */
    if (ch == 'h' || ch == 'w') return 'h';
    return codes[ch - 'a'];
}

size_t sim_soundex(const char *s, size_t n, char out[5]) {
    size_t i = 0, k = 1;
    char last;

    out[0] = '\0';
    if (!s) return 0;
    while (i < n &&
           !((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
        i++;
    if (i >= n) return 0;
    out[0] = (char)(s[i] >= 'a' ? s[i] - 'a' + 'A' : s[i]);
    last = sdx_code((char)(out[0] - 'A' + 'a'));
    if (last == 'h') last = '0';
    for (i++; i < n && k < 4; i++) {
        char ch = s[i], code;
        if (ch >= 'A' && ch <= 'Z') ch = (char)(ch - 'A' + 'a');
        if (ch < 'a' || ch > 'z') break;
        code = sdx_code(ch);
        if (code == 'h')
            continue; /* h, w: keep last, so equal codes merge across */
        if (code != '0' && code != last) out[k++] = code;
        last = code;
    }
    while (k < 4)
        out[k++] = '0';
    out[4] = '\0';
    return 4;
}
