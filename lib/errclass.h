/*
 * errclass.h: what kind of error a library call met, so that a command
 * chooses its exit code by class and never by the text of a message. The
 * classes map onto the exit-code contract of README.md ("Exit status").
 *
 * Ownership: plain values; nothing to free.
 */
#ifndef RELEC_ERRCLASS_H
#define RELEC_ERRCLASS_H

/* An error's class. Library calls that can fail in more than one way
 * return -ERRCLASS_* (or fill an errclass) beside their message. */
typedef enum errclass {
    ERRCLASS_NONE = 0, /* no error */
    ERRCLASS_USAGE,    /* asked for something no run can do (a report not
                          named .csv or .jsonl) */
    ERRCLASS_INPUT,    /* an input cannot be read or is not what it claims
                          (a file that is no store, bytes named .xlsx) */
    ERRCLASS_SCHEMA,   /* a schema, map or code list is wrong */
    ERRCLASS_OUTPUT,   /* an output cannot be written */
    ERRCLASS_MEMORY    /* out of memory */
} errclass;

/* The exit code of class C: usage 2, input and schema 3, output and
 * memory 4 (the run could not make what it was asked for). */
static inline int errclass_exit(errclass c) {
    switch (c) {
    case ERRCLASS_NONE:
        return 0;
    case ERRCLASS_USAGE:
        return 2;
    case ERRCLASS_INPUT:
    case ERRCLASS_SCHEMA:
        return 3;
    default:
        return 4;
    }
}

#endif
