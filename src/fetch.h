/* The web fetcher: downloads http and https pages with libcurl under strict
 * limits and hands back bytes the text engine can read. One of the two modules
 * of the core that do I/O (the other is library.c); an untrusted server can
 * waste at most the configured time and memory, never reach other schemes. */
#ifndef PL_FETCH_H
#define PL_FETCH_H

#include <stddef.h>

#include "error.h"

/* Redirects followed at most (a sixth is an error). */
#define PL_FETCH_MAX_REDIRECTS 5

/* Defaults for the zero fields of pl_fetch_options. */
#define PL_FETCH_DEFAULT_CONNECT_TIMEOUT_MS 10000L
#define PL_FETCH_DEFAULT_TIMEOUT_MS 60000L
#define PL_FETCH_DEFAULT_LOW_SPEED_BYTES 100L
#define PL_FETCH_DEFAULT_LOW_SPEED_SECONDS 20L
#define PL_FETCH_DEFAULT_MAX_BYTES ((size_t)16 << 20)
#define PL_FETCH_DEFAULT_MAX_PARALLEL 8

/* What became of one request. The core's pl_status has no network codes, so
 * the fetcher carries its own; pl_fetch_code_name gives the stable name the
 * Lua binding returns as the third value of a failure. */
typedef enum pl_fetch_code {
    PL_FETCH_OK = 0,
    PL_FETCH_NOT_MODIFIED, /* a conditional request got 304: keep what you have */
    PL_FETCH_ERR_URL,      /* malformed, or a scheme other than http and https */
    PL_FETCH_ERR_DNS,      /* the host name does not resolve */
    PL_FETCH_ERR_CONNECT,  /* connection refused or network unreachable */
    PL_FETCH_ERR_TIMEOUT,  /* connect or total timeout, or below the low-speed limit */
    PL_FETCH_ERR_TLS,      /* handshake failed or the certificate is not trusted */
    PL_FETCH_ERR_HTTP,     /* the server answered with a status of 300 or more */
    PL_FETCH_ERR_REDIRECT, /* too many redirects, or one to a forbidden scheme */
    PL_FETCH_ERR_TOO_LARGE,
    PL_FETCH_ERR_TYPE,     /* a content type other than HTML or plain text */
    PL_FETCH_ERR_CHARSET,  /* the header names a charset iconv does not know */
    PL_FETCH_ERR_TRANSFER, /* connection lost mid-response, bad compression, … */
    PL_FETCH_ERR_CANCELLED,
    PL_FETCH_ERR_UNAVAILABLE, /* libcurl is not installed (it is opened on the first fetch) */
    PL_FETCH_ERR_NOMEM
} pl_fetch_code;

/* A short stable name for code ("ok", "not_modified", "dns", "timeout", …);
 * never NULL. */
const char *pl_fetch_code_name(pl_fetch_code code);

/* Limits. Zero fields take the PL_FETCH_DEFAULT_* values, so a zeroed struct
 * (or a NULL pointer) is the safe default. Certificate verification, the
 * http/https restriction and the redirect limit cannot be turned off. */
typedef struct pl_fetch_options {
    long connect_timeout_ms;
    long timeout_ms;        /* the whole transfer, redirects included */
    long low_speed_bytes;   /* abort when fewer bytes per second than this… */
    long low_speed_seconds; /* …arrive for this many seconds in a row */
    size_t max_bytes;       /* cap on the decoded body (so a compressed bomb stops) */
    size_t max_parallel;    /* pl_fetch_many: transfers at once */
    const char *user_agent; /* NULL: "policylink/VERSION" */
} pl_fetch_options;

/* One URL, with the validators of an earlier fetch for a conditional
 * request (both may be NULL; values with control characters are not sent). */
typedef struct pl_fetch_request {
    const char *url;
    const char *etag;          /* sent as If-None-Match */
    const char *last_modified; /* sent as If-Modified-Since */
} pl_fetch_request;

typedef struct pl_fetch_result {
    pl_fetch_code code;
    pl_error error; /* one line saying what went wrong, when code is a failure */
    long status;    /* last HTTP status; 0 when no response came */
    /* The body, NUL-terminated; NULL unless code is PL_FETCH_OK. HTML is
     * raw (the text engine reads its <meta charset>) unless only the HTTP
     * header named the charset: then it and plain text with a charset are
     * converted to UTF-8 here. */
    char *body;
    size_t body_len;
    char *content_type;  /* media type, lowercase, no parameters; NULL when none came */
    char *charset;       /* the header's charset label, lowercase; NULL when none */
    int is_html;         /* content_type is text/html or application/xhtml+xml */
    int converted;       /* body was converted from charset to UTF-8 */
    char *final_url;     /* where the redirects ended; NULL when no request was made */
    char *etag;          /* validators for the next conditional request; NULL when */
    char *last_modified; /* the server sent none */
} pl_fetch_result;

/* Fetches one URL (libcurl easy interface; blocks). Returns a result the
 * caller frees with pl_fetch_result_free, whose code says whether it worked;
 * returns NULL only when out of memory. opts may be NULL. */
pl_fetch_result *pl_fetch(const pl_fetch_request *req, const pl_fetch_options *opts);

/* Called by pl_fetch_many as each transfer ends: index into the requests,
 * its result (owned by pl_fetch_many's caller), and how many of total are
 * done. Return nonzero to cancel the transfers still running or waiting;
 * it is not called again after that (a transfer that finished at the same
 * moment keeps its result, unreported). */
typedef int (*pl_fetch_progress_fn)(void *ud, size_t index, const pl_fetch_result *result,
                                    size_t done, size_t total);

/* Fetches n URLs concurrently (libcurl multi interface, at most
 * opts->max_parallel at once) and stores one result per request in
 * results[0..n), each freed by the caller with pl_fetch_result_free; results
 * of cancelled transfers have code PL_FETCH_ERR_CANCELLED. progress may be
 * NULL. Returns PL_OK, or PL_ERR_NOMEM (then every results[i] is NULL) or
 * PL_ERR_INVALID_ARGUMENT (NULL arrays with n > 0). */
pl_status pl_fetch_many(const pl_fetch_request *reqs, size_t n, const pl_fetch_options *opts,
                        pl_fetch_progress_fn progress, void *ud, pl_fetch_result **results,
                        pl_error *err);

/* Frees a result. Accepts NULL. */
void pl_fetch_result_free(pl_fetch_result *result);

/* libcurl is opened (dlopen) on the first fetch, not when the program
 * starts: most runs fetch nothing, and it loads some 30 libraries. Opens it
 * now if need be and returns its version line ("libcurl/7.88.1 OpenSSL/…",
 * owned by libcurl), or NULL with err set (PL_ERR_IO: "libcurl is not
 * installed (…)") when it cannot be opened; pl_fetch then fails every
 * request with PL_FETCH_ERR_UNAVAILABLE and that message. */
const char *pl_fetch_library_version(pl_error *err);

/* Releases libcurl's global state, if it was opened (for leak checkers at
 * the end of a process; no fetch may follow). */
void pl_fetch_global_cleanup(void);

#endif
