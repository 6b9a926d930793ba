/* Error reporting helpers shared by every core module. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>

pl_status pl_error_set(pl_error *err, pl_status status, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        err->status = status;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return status;
}

void pl_error_clear(pl_error *err)
{
    if (err) {
        err->status = PL_OK;
        err->message[0] = '\0';
    }
}

const char *pl_status_name(pl_status status)
{
    switch (status) {
    case PL_OK:
        return "ok";
    case PL_ERR_NOMEM:
        return "nomem";
    case PL_ERR_INVALID_ARGUMENT:
        return "invalid_argument";
    case PL_ERR_EMPTY:
        return "empty";
    case PL_ERR_BINARY:
        return "binary";
    case PL_ERR_TOO_LARGE:
        return "too_large";
    case PL_ERR_NO_TEXT:
        return "no_text";
    case PL_ERR_PARSE:
        return "parse";
    case PL_ERR_IO:
        return "io";
    }
    return "unknown";
}
