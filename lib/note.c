/*
 * note.c: see note.h.
 */
#include "note.h"

#include <stdarg.h>
#include <stdio.h>

void note_say(const note_sink *sink, const char *fmt, ...) {
    if (!sink || !sink->fn) return;
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    sink->fn(sink->ctx, text);
}
