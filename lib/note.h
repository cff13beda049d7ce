/*
 * note.h: what a library call has to tell the user beside its result (a
 * note: the run goes on), handed to a callback of the caller instead of
 * printed, so that only cmd/ writes to the terminal. A note is one line of
 * text without a prefix or a newline; the command adds "relec TOOL: note: ".
 *
 * Ownership: the text handed to the callback is valid during the call only.
 */
#ifndef RELEC_NOTE_H
#define RELEC_NOTE_H

/* Where a library call's notes go. */
typedef struct note_sink {
    void (*fn)(void *ctx, const char *text); /* called once per note */
    void *ctx;                               /* its first argument */
} note_sink;

/* Formats a note and hands it to SINK; a NULL SINK or fn drops it. */
void note_say(const note_sink *sink, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
