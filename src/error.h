/* Error reporting for the policylink core: a status code plus a message a
 * person can read. Every fallible public function takes a pl_error * (which
 * may be NULL when the caller only wants the status). */
#ifndef PL_ERROR_H
#define PL_ERROR_H

typedef enum pl_status {
    PL_OK = 0,
    PL_ERR_NOMEM,            /* an allocation failed */
    PL_ERR_INVALID_ARGUMENT, /* the caller passed something the API forbids */
    PL_ERR_EMPTY,            /* the input has no bytes, or only white space */
    PL_ERR_BINARY,           /* the input is not text (NUL bytes, image, PDF…) */
    PL_ERR_TOO_LARGE,        /* the input is over a documented limit */
    PL_ERR_NO_TEXT,          /* the input is text but has no article body */
    PL_ERR_PARSE,            /* a parser gave up on the input */
    PL_ERR_IO                /* a file could not be read or written */
} pl_status;

#define PL_ERROR_MESSAGE_SIZE 256

typedef struct pl_error {
    pl_status status;
    char message[PL_ERROR_MESSAGE_SIZE];
} pl_error;

/* Sets err (if not NULL) to status and a printf-formatted message, truncated
 * to fit. Returns status so callers can write `return pl_error_set(...)`. */
pl_status pl_error_set(pl_error *err, pl_status status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Clears err (if not NULL) to PL_OK with an empty message. */
void pl_error_clear(pl_error *err);

/* A short stable name for status ("nomem", "binary", …); never NULL. */
const char *pl_status_name(pl_status status);

#endif
