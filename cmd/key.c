/*
 * key.c: relec key: makes and names the secret keys of relec pseudonymise
 * (lib/key.h).
 */
#include "key.h"
#include "cmd.h"

#include <getopt.h> /* optind */
#include <sodium.h>
#include <string.h>

int cmd_read_key(const char *cmd, const char *path, unsigned char *key) {
    char err[1024];
    if (key_read(path, key, err, sizeof err) < 0) {
        cmd_error(cmd, "%s", err);
        return EXIT_INPUT;
    }
    return 0;
}

/* Options of one run. */
typedef struct key_run {
    const char *out; /* -o */
} key_run;

static const cmd_option key_options[] = {
    CMD_STR("output", 'o', "FILE", "the new key file", key_run, out), CMD_END};

const cmd_spec cmd_key_spec = {
    "key",
    cmd_key,
    "make a secret key for pseudonymise",
    {"new -o FILE", "id FILE"},
    "new  writes a new secret key (32 random bytes from libsodium) to FILE,\n"
    "     readable by its owner only (mode 0600); an existing FILE is never\n"
    "     overwritten. One key per owner pseudonymises its files (--key);\n"
    "     a second key agreed between two countries encodes for linkage\n"
    "     (--link-key). See sop/data-protection.md: who holds which key.\n"
    "id   prints a fingerprint of the key in FILE (16 hex digits): two\n"
    "     holders compare fingerprints to know they hold the same key;\n"
    "     the key itself is never printed\n",
    key_options,
    "A command reading a key refuses one that group or others may read\n"
    "(exit 3).\n",
    "relec key new -o owner.key\n"
    "relec key id owner.key\n",
    NULL,
    0,
    NULL};

int cmd_key(int argc, char **argv) {
    key_run k = {NULL};
    int rc = cmd_parse(&cmd_key_spec, &k, argc, argv);
    if (rc >= 0) return rc;
    const char *out = k.out;
    if (optind >= argc)
        return cmd_usage_error("key", "say what to do: new or id");
    const char *what = argv[optind];
    char err[1024];
    if (!strcmp(what, "new")) {
        if (!out) return cmd_usage_error("key", "new needs -o FILE");
        if (optind + 1 < argc)
            return cmd_usage_error("key", "unexpected '%s'", argv[optind + 1]);
        if (!strcmp(out, "-"))
            return cmd_usage_error("key", "a key is never written to stdout");
        if (key_new(out, err, sizeof err) < 0) {
            cmd_error("key", "%s", err);
            return EXIT_OUTPUT;
        }
        return EXIT_OK;
    }
    if (!strcmp(what, "id")) {
        if (optind + 2 != argc)
            return cmd_usage_error("key", "id needs one key FILE");
        unsigned char key[KEY_BYTES];
        rc = cmd_read_key("key", argv[optind + 1], key);
        if (rc) return rc;
        char fp[17];
        key_fingerprint(key, fp);
        sodium_memzero(key, sizeof key);
        printf("%s\n", fp);
        return EXIT_OK;
    }
    return cmd_usage_error("key", "'%s' is not new or id", what);
}
