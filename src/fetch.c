/* The web fetcher (see fetch.h): libcurl transfers under fixed safety
 * settings, the headers read for the validators and the reason phrase, every
 * libcurl failure turned into one line a person can act on, and the charset
 * conversion that only the HTTP header can ask for. */
#define _POSIX_C_SOURCE 200809L

#include "fetch.h"

/* Plain prototypes: the type-checking macros of curl.h would hide the names
 * this file maps to the library it opens. */
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>
#include <dlfcn.h>
#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"

#ifndef PL_VERSION
#define PL_VERSION "0.1.0"
#endif

/* ---- libcurl, opened on the first fetch ----
 *
 * libcurl and the 30-odd libraries it loads (TLS, Kerberos, LDAP, …) cost
 * every start of the program and of the editor's module several
 * milliseconds, though most runs fetch nothing: so it is opened with dlopen
 * when a fetch starts, and each function used here is looked up once. */
static struct curl_api {
    int state; /* 0: not tried, 1: loaded, -1: failed (why says why) */
    char why[200];
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    CURLcode (*easy_perform)(CURL *);
    void (*easy_cleanup)(CURL *);
    const char *(*easy_strerror)(CURLcode);
    CURLM *(*multi_init)(void);
    CURLMcode (*multi_add_handle)(CURLM *, CURL *);
    CURLMcode (*multi_remove_handle)(CURLM *, CURL *);
    CURLMcode (*multi_perform)(CURLM *, int *);
    CURLMcode (*multi_poll)(CURLM *, struct curl_waitfd *, unsigned int, int, int *);
    CURLMsg *(*multi_info_read)(CURLM *, int *);
    CURLMcode (*multi_cleanup)(CURLM *);
    const char *(*multi_strerror)(CURLMcode);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
    CURLU *(*url)(void);
    CURLUcode (*url_set)(CURLU *, CURLUPart, const char *, unsigned int);
    CURLUcode (*url_get)(const CURLU *, CURLUPart, char **, unsigned int);
    void (*url_cleanup)(CURLU *);
    void (*free)(void *);
    char *(*version)(void);
    void (*global_cleanup)(void);
} curl_api;

/* Looks up name in lib into *slot (a function pointer's storage). ISO C has
 * no conversion from void * to a function pointer: the bytes are copied. */
static int curl_symbol(void *lib, const char *name, void *slot, size_t size)
{
    void *f = dlsym(lib, name);
    if (!f) {
        snprintf(curl_api.why, sizeof curl_api.why, "libcurl has no %s", name);
        return -1;
    }
    memcpy(slot, &f, size);
    return 0;
}

#define CURL_SYMBOL(lib, field, name) curl_symbol(lib, name, &curl_api.field, sizeof curl_api.field)

static int curl_load(void)
{
    void *lib;
    const char *path;
    if (curl_api.state)
        return curl_api.state > 0;
    path = getenv("POLICYLINK_LIBCURL"); /* a libcurl of one's own */
    curl_api.state = -1;
    if (path && *path) {
        lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
        if (!lib) {
            const char *why = dlerror();
            snprintf(curl_api.why, sizeof curl_api.why,
                     "cannot open libcurl (POLICYLINK_LIBCURL): %s", why ? why : path);
            return 0;
        }
    } else {
        lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
        if (!lib)
            lib = dlopen("libcurl.so", RTLD_NOW | RTLD_LOCAL);
        if (!lib) {
            snprintf(curl_api.why, sizeof curl_api.why,
                     "libcurl is not installed (libcurl.so.4 cannot be opened; on Debian: apt-get "
                     "install libcurl4)");
            return 0;
        }
    }
    if (CURL_SYMBOL(lib, easy_init, "curl_easy_init") ||
        CURL_SYMBOL(lib, easy_setopt, "curl_easy_setopt") ||
        CURL_SYMBOL(lib, easy_getinfo, "curl_easy_getinfo") ||
        CURL_SYMBOL(lib, easy_perform, "curl_easy_perform") ||
        CURL_SYMBOL(lib, easy_cleanup, "curl_easy_cleanup") ||
        CURL_SYMBOL(lib, easy_strerror, "curl_easy_strerror") ||
        CURL_SYMBOL(lib, multi_init, "curl_multi_init") ||
        CURL_SYMBOL(lib, multi_add_handle, "curl_multi_add_handle") ||
        CURL_SYMBOL(lib, multi_remove_handle, "curl_multi_remove_handle") ||
        CURL_SYMBOL(lib, multi_perform, "curl_multi_perform") ||
        CURL_SYMBOL(lib, multi_poll, "curl_multi_poll") ||
        CURL_SYMBOL(lib, multi_info_read, "curl_multi_info_read") ||
        CURL_SYMBOL(lib, multi_cleanup, "curl_multi_cleanup") ||
        CURL_SYMBOL(lib, multi_strerror, "curl_multi_strerror") ||
        CURL_SYMBOL(lib, slist_append, "curl_slist_append") ||
        CURL_SYMBOL(lib, slist_free_all, "curl_slist_free_all") ||
        CURL_SYMBOL(lib, url, "curl_url") || CURL_SYMBOL(lib, url_set, "curl_url_set") ||
        CURL_SYMBOL(lib, url_get, "curl_url_get") ||
        CURL_SYMBOL(lib, url_cleanup, "curl_url_cleanup") || CURL_SYMBOL(lib, free, "curl_free") ||
        CURL_SYMBOL(lib, version, "curl_version") ||
        CURL_SYMBOL(lib, global_cleanup, "curl_global_cleanup")) {
        dlclose(lib);
        return 0;
    }
    curl_api.state = 1; /* kept open for the life of the process */
    return 1;
}

/* The rest of this file calls libcurl by its own names. */
#define curl_easy_init curl_api.easy_init
#undef curl_easy_setopt /* curl.h's three-argument check */
#undef curl_easy_getinfo
#define curl_easy_setopt curl_api.easy_setopt
#define curl_easy_getinfo curl_api.easy_getinfo
#define curl_easy_perform curl_api.easy_perform
#define curl_easy_cleanup curl_api.easy_cleanup
#define curl_easy_strerror curl_api.easy_strerror
#define curl_multi_init curl_api.multi_init
#define curl_multi_add_handle curl_api.multi_add_handle
#define curl_multi_remove_handle curl_api.multi_remove_handle
#define curl_multi_perform curl_api.multi_perform
#define curl_multi_poll curl_api.multi_poll
#define curl_multi_info_read curl_api.multi_info_read
#define curl_multi_cleanup curl_api.multi_cleanup
#define curl_multi_strerror curl_api.multi_strerror
#define curl_slist_append curl_api.slist_append
#define curl_slist_free_all curl_api.slist_free_all
#define curl_url curl_api.url
#define curl_url_set curl_api.url_set
#define curl_url_get curl_api.url_get
#define curl_url_cleanup curl_api.url_cleanup
#define curl_free curl_api.free

const char *pl_fetch_library_version(pl_error *err)
{
    if (!curl_load()) {
        pl_error_set(err, PL_ERR_IO, "%s", curl_api.why);
        return NULL;
    }
    pl_error_clear(err);
    return curl_api.version();
}

void pl_fetch_global_cleanup(void)
{
    if (curl_api.state > 0)
        curl_api.global_cleanup();
}

/* Longer header values are not kept: validators are short, and a hostile
 * server should not make us hold (or send back) a big one. */
#define HEADER_VALUE_MAX 1024

typedef struct transfer {
    CURL *curl;
    struct curl_slist *headers;
    pl_fetch_result *result;
    int conditional; /* If-None-Match or If-Modified-Since was sent */
    long timeout_ms, low_speed_bytes, low_speed_seconds;
    size_t max_bytes;
    pl_buf body;
    int checked;              /* status and content type have been looked at */
    pl_fetch_code abort_code; /* why a callback stopped the transfer (message set) */
    /* From the headers of the latest response: each redirect starts afresh. */
    char reason[64];
    char *etag, *last_modified, *location;
    char errbuf[CURL_ERROR_SIZE];
} transfer;

const char *pl_fetch_code_name(pl_fetch_code code)
{
    switch (code) {
    case PL_FETCH_OK:
        return "ok";
    case PL_FETCH_NOT_MODIFIED:
        return "not_modified";
    case PL_FETCH_ERR_URL:
        return "url";
    case PL_FETCH_ERR_DNS:
        return "dns";
    case PL_FETCH_ERR_CONNECT:
        return "connect";
    case PL_FETCH_ERR_TIMEOUT:
        return "timeout";
    case PL_FETCH_ERR_TLS:
        return "tls";
    case PL_FETCH_ERR_HTTP:
        return "http";
    case PL_FETCH_ERR_REDIRECT:
        return "redirect";
    case PL_FETCH_ERR_TOO_LARGE:
        return "too_large";
    case PL_FETCH_ERR_TYPE:
        return "unsupported_type";
    case PL_FETCH_ERR_CHARSET:
        return "charset";
    case PL_FETCH_ERR_TRANSFER:
        return "transfer";
    case PL_FETCH_ERR_CANCELLED:
        return "cancelled";
    case PL_FETCH_ERR_UNAVAILABLE:
        return "unavailable";
    case PL_FETCH_ERR_NOMEM:
        return "nomem";
    }
    return "unknown";
}

/* ---- small string helpers (ASCII only: header syntax is not localised) ---- */

static char ascii_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static int ascii_ieq(const char *a, size_t n, const char *lower)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (lower[i] == '\0' || ascii_lower(a[i]) != lower[i])
            return 0;
    return lower[n] == '\0';
}

static int ascii_istarts(const char *s, size_t n, const char *lower)
{
    size_t i;
    for (i = 0; lower[i]; i++)
        if (i >= n || ascii_lower(s[i]) != lower[i])
            return 0;
    return 1;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Whether s[0..n) has a control character (which must never be echoed in
 * a message or sent back in a header). */
static int has_control(const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7F)
            return 1;
    return 0;
}

/* Copies s into out as one printable line: the text comes from libcurl or
 * the server and ends up on a terminal. */
static void printable_copy(char *out, size_t size, const char *s)
{
    size_t i = 0;
    for (; s && *s && i + 1 < size; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\r' || c == '\n')
            break;
        out[i++] = (c < 0x20 || c >= 0x7F) ? '?' : (char)c;
    }
    out[i] = '\0';
}

static void fail(pl_fetch_result *r, pl_fetch_code code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Records the failure on r (the message is one line, truncated to fit). */
static void fail(pl_fetch_result *r, pl_fetch_code code, const char *fmt, ...)
{
    va_list ap;
    r->code = code;
    r->error.status = code == PL_FETCH_ERR_NOMEM       ? PL_ERR_NOMEM
                      : code == PL_FETCH_ERR_TOO_LARGE ? PL_ERR_TOO_LARGE
                      : code == PL_FETCH_ERR_TYPE      ? PL_ERR_BINARY
                      : code == PL_FETCH_ERR_URL       ? PL_ERR_INVALID_ARGUMENT
                      : code == PL_FETCH_ERR_CHARSET   ? PL_ERR_PARSE
                                                       : PL_ERR_IO; /* the network, or libcurl */
    va_start(ap, fmt);
    vsnprintf(r->error.message, sizeof r->error.message, fmt, ap);
    va_end(ap);
}

static void fail_nomem(pl_fetch_result *r)
{
    fail(r, PL_FETCH_ERR_NOMEM, "out of memory");
}

/* "16 MiB", "512 KiB" or "1000 bytes": limits as people set them. */
static void format_size(char *out, size_t size, size_t bytes)
{
    if (bytes >= ((size_t)1 << 20) && bytes % ((size_t)1 << 20) == 0)
        snprintf(out, size, "%zu MiB", bytes >> 20);
    else if (bytes >= 1024 && bytes % 1024 == 0)
        snprintf(out, size, "%zu KiB", bytes >> 10);
    else
        snprintf(out, size, "%zu bytes", bytes);
}

static void format_seconds(char *out, size_t size, long ms)
{
    if (ms % 1000 == 0)
        snprintf(out, size, "%ld s", ms / 1000);
    else
        snprintf(out, size, "%.1f s", (double)ms / 1000.0);
}

/* ---- headers ---- */

static void clear_response_headers(transfer *t)
{
    pl_free(t->etag);
    pl_free(t->last_modified);
    pl_free(t->location);
    t->etag = t->last_modified = t->location = NULL;
    t->reason[0] = '\0';
}

/* Keeps the reason phrase of a status line "HTTP/1.1 404 Not Found" (HTTP/2
 * has none; then the message names the status alone). */
static void read_status_line(transfer *t, const char *s, size_t n)
{
    size_t i = 0, start;
    char raw[sizeof t->reason];
    while (i < n && s[i] != ' ')
        i++;
    while (i < n && s[i] == ' ')
        i++;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    while (i < n && s[i] == ' ')
        i++;
    start = i;
    while (i < n && s[i] != '\r' && s[i] != '\n' && i - start + 1 < sizeof raw)
        i++;
    memcpy(raw, s + start, i - start);
    raw[i - start] = '\0';
    printable_copy(t->reason, sizeof t->reason, raw);
}

/* Replaces *slot with a copy of value; oversized or control-laden values are
 * dropped. Returns -1 when out of memory. */
static int keep_header(char **slot, const char *value, size_t n)
{
    pl_free(*slot);
    *slot = NULL;
    if (n == 0 || n > HEADER_VALUE_MAX || has_control(value, n))
        return 0;
    *slot = pl_strndup(value, n);
    return *slot ? 0 : -1;
}

static size_t on_header(char *data, size_t size, size_t count, void *ud)
{
    transfer *t = ud;
    size_t n = size * count, name_len, value_len;
    const char *colon, *value;
    char **slot = NULL;
    if (n >= 5 && memcmp(data, "HTTP/", 5) == 0) {
        clear_response_headers(t);
        read_status_line(t, data, n);
        return n;
    }
    colon = memchr(data, ':', n);
    if (!colon)
        return n;
    name_len = (size_t)(colon - data);
    if (ascii_ieq(data, name_len, "etag"))
        slot = &t->etag;
    else if (ascii_ieq(data, name_len, "last-modified"))
        slot = &t->last_modified;
    else if (ascii_ieq(data, name_len, "location"))
        slot = &t->location;
    else
        return n;
    value = colon + 1;
    value_len = n - name_len - 1;
    while (value_len > 0 && is_space(*value)) {
        value++;
        value_len--;
    }
    while (value_len > 0 && is_space(value[value_len - 1]))
        value_len--;
    if (keep_header(slot, value, value_len) != 0) {
        fail_nomem(t->result);
        t->abort_code = PL_FETCH_ERR_NOMEM;
        return 0;
    }
    return n;
}

/* Splits a Content-Type value into the lowercase media type and charset
 * label. Only token characters are kept: both may appear in messages. */
static int parse_content_type(pl_fetch_result *r, const char *ct)
{
    char type[96], label[48];
    size_t i = 0, j;
    const char *p = ct;
    while (is_space(*p))
        p++;
    for (; *p && *p != ';' && !is_space(*p) && i + 1 < sizeof type; p++) {
        char c = ascii_lower(*p);
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || strchr("!#$&^_.+-/", c)))
            break;
        type[i++] = c;
    }
    type[i] = '\0';
    if (i > 0 && !(r->content_type = pl_strndup(type, i)))
        return -1;
    while ((p = strchr(p, ';')) != NULL) {
        p++;
        while (is_space(*p))
            p++;
        if (!ascii_istarts(p, strlen(p), "charset"))
            continue;
        p += 7;
        while (is_space(*p))
            p++;
        if (*p != '=')
            continue;
        p++;
        while (is_space(*p) || *p == '"' || *p == '\'')
            p++;
        for (j = 0; p[j] && j + 1 < sizeof label; j++) {
            char c = ascii_lower(p[j]);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || strchr("-_.:", c)))
                break;
            label[j] = c;
        }
        label[j] = '\0';
        if (j > 0 && !(r->charset = pl_strndup(label, j)))
            return -1;
        break;
    }
    return 0;
}

/* Common reason phrases, for HTTP/2 responses that carry none. */
static const char *standard_reason(long status)
{
    switch (status) {
    case 300:
        return "Multiple Choices";
    case 304:
        return "Not Modified";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 406:
        return "Not Acceptable";
    case 408:
        return "Request Timeout";
    case 410:
        return "Gone";
    case 429:
        return "Too Many Requests";
    case 451:
        return "Unavailable For Legal Reasons";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    default:
        return "";
    }
}

/* Looks at the status and content type once the headers are in (at the
 * first body bytes, or after an empty body). Returns 0 and records the
 * failure when the body is not worth reading. */
static int check_response(transfer *t)
{
    pl_fetch_result *r = t->result;
    long status = 0;
    char *ct = NULL;
    t->checked = 1;
    curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
    r->status = status;
    if (status >= 300) {
        const char *reason = t->reason[0] ? t->reason : standard_reason(status);
        if (status < 400)
            fail(r, PL_FETCH_ERR_HTTP, "HTTP %ld%s%s (a redirect without a location)", status,
                 *reason ? " " : "", reason);
        else
            fail(r, PL_FETCH_ERR_HTTP, "HTTP %ld%s%s", status, *reason ? " " : "", reason);
        return 0;
    }
    curl_easy_getinfo(t->curl, CURLINFO_CONTENT_TYPE, &ct);
    if (ct && parse_content_type(r, ct) != 0) {
        fail_nomem(r);
        return 0;
    }
    if (!r->content_type)
        return 1; /* none sent: the text engine sniffs the bytes */
    r->is_html = strcmp(r->content_type, "text/html") == 0 ||
                 strcmp(r->content_type, "application/xhtml+xml") == 0;
    if (!r->is_html && strcmp(r->content_type, "text/plain") != 0) {
        fail(r, PL_FETCH_ERR_TYPE,
             "unsupported content type '%s' (only HTML and plain text are read)", r->content_type);
        return 0;
    }
    return 1;
}

static size_t on_body(char *data, size_t size, size_t count, void *ud)
{
    transfer *t = ud;
    size_t n = size * count;
    if (!t->checked && !check_response(t)) {
        t->abort_code = t->result->code;
        return 0;
    }
    /* The bytes counted here are decoded ones, so a small compressed
     * response that inflates past the cap stops as soon as it crosses it. */
    if (n > t->max_bytes - t->body.len) {
        char limit[32];
        format_size(limit, sizeof limit, t->max_bytes);
        fail(t->result, PL_FETCH_ERR_TOO_LARGE, "response larger than the %s limit", limit);
        t->abort_code = PL_FETCH_ERR_TOO_LARGE;
        return 0;
    }
    if (pl_buf_append(&t->body, data, n) != 0) {
        fail_nomem(t->result);
        t->abort_code = PL_FETCH_ERR_NOMEM;
        return 0;
    }
    return n;
}

/* ---- charset ---- */

static int is_utf8_label(const char *label)
{
    return strcmp(label, "utf-8") == 0 || strcmp(label, "utf8") == 0 ||
           strcmp(label, "unicode-1-1-utf-8") == 0;
}

/* The iconv name for a charset label. Browsers read the Latin-1 and ASCII
 * labels as windows-1252 and gb2312 as GBK, and servers that send those
 * labels mean what browsers show, so the same is done here. */
static const char *iconv_name(const char *label)
{
    static const char *const cp1252[] = {
        "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1",  "l1",          "cp819",
        "ibm819",     "us-ascii",  "ascii",      "cp1252", "x-cp1252", "windows-1252"};
    static const char *const gbk[] = {"gb2312",  "gbk",      "x-gbk",
                                      "chinese", "csgb2312", "gb_2312-80"};
    size_t i;
    for (i = 0; i < sizeof cp1252 / sizeof cp1252[0]; i++)
        if (strcmp(label, cp1252[i]) == 0)
            return "WINDOWS-1252";
    for (i = 0; i < sizeof gbk / sizeof gbk[0]; i++)
        if (strcmp(label, gbk[i]) == 0)
            return "GBK";
    if (strcmp(label, "x-sjis") == 0)
        return "SHIFT_JIS";
    return label;
}

static int has_bom(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    return (n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) ||
           (n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)));
}

/* Whether the page names its own charset (an XML declaration with an
 * encoding, or a <meta> with charset=), which the text engine then follows:
 * the same places it looks, so that exactly one of the two converts. */
static int html_declares_charset(const char *s, size_t n)
{
    size_t i = 0, end, k;
    while (i < n && is_space(s[i]))
        i++;
    if (ascii_istarts(s + i, n - i, "<?xml")) {
        for (end = i; end < n && s[end] != '>'; end++)
            if (ascii_istarts(s + end, n - end, "encoding"))
                return 1;
    }
    for (; i + 5 < n; i++) {
        if (s[i] != '<' || !ascii_istarts(s + i + 1, n - i - 1, "meta") ||
            !(is_space(s[i + 5]) || s[i + 5] == '/'))
            continue;
        for (end = i + 5; end < n && s[end] != '>'; end++)
            ;
        for (k = i + 5; k + 7 <= end; k++) {
            size_t j;
            if (!ascii_istarts(s + k, end - k, "charset"))
                continue;
            for (j = k + 7; j < end && is_space(s[j]); j++)
                ;
            if (j < end && s[j] == '=')
                return 1;
        }
        i = end;
    }
    return 0;
}

/* Converts in[0..n) from the charset label to UTF-8 into out. Bytes the
 * charset does not define become U+FFFD, except the five holes of
 * windows-1252, which browsers show as the C1 control of the same value. */
static pl_fetch_code convert_to_utf8(const char *label, char *in, size_t n, pl_buf *out)
{
    const char *name = iconv_name(label);
    int cp1252 = strcmp(name, "WINDOWS-1252") == 0, flushing = 0;
    iconv_t cd = iconv_open("UTF-8", name);
    char *inp = in, *outp;
    size_t inleft = n, outleft;
    pl_fetch_code code = PL_FETCH_OK;
    if (cd == (iconv_t)-1)
        return PL_FETCH_ERR_CHARSET;
    if (pl_buf_reserve(out, n + n / 2 + 16) != 0) {
        iconv_close(cd);
        return PL_FETCH_ERR_NOMEM;
    }
    for (;;) {
        size_t rc;
        outp = out->data + out->len;
        outleft = out->cap - out->len - 1;
        /* The last round passes no input: stateful charsets (ISO-2022-JP)
         * then write what returns them to the initial state. */
        rc = iconv(cd, flushing ? NULL : &inp, flushing ? NULL : &inleft, &outp, &outleft);
        out->len = (size_t)(outp - out->data);
        if (rc != (size_t)-1) {
            if (flushing)
                break;
            flushing = 1;
        } else if (errno == E2BIG) {
            if (pl_buf_reserve(out, inleft * 2 + 64) != 0) {
                code = PL_FETCH_ERR_NOMEM;
                break;
            }
        } else if (!flushing && (errno == EILSEQ || errno == EINVAL)) {
            if (pl_buf_put_codepoint(out, cp1252 ? (long)(unsigned char)*inp : 0xFFFD) != 0) {
                code = PL_FETCH_ERR_NOMEM;
                break;
            }
            inp++;
            inleft--;
        } else {
            code = PL_FETCH_ERR_CHARSET;
            break;
        }
    }
    iconv_close(cd);
    if (code == PL_FETCH_OK)
        out->data[out->len] = '\0';
    return code;
}

/* Hands the body to the result, converting it when only the header named
 * its charset. */
static void take_body(transfer *t)
{
    pl_fetch_result *r = t->result;
    const char *label = r->charset;
    char *s = t->body.data;
    size_t n = t->body.len;
    if (label && s && !is_utf8_label(label) && !has_bom(s, n) &&
        !(r->is_html && html_declares_charset(s, n))) {
        pl_buf converted = PL_BUF_INIT;
        pl_fetch_code code = convert_to_utf8(label, s, n, &converted);
        if (code == PL_FETCH_ERR_CHARSET) {
            pl_buf_free(&converted);
            fail(r, code, "unknown charset '%s' in the Content-Type header", label);
            return;
        }
        if (code != PL_FETCH_OK) {
            pl_buf_free(&converted);
            fail_nomem(r);
            return;
        }
        pl_buf_free(&t->body);
        t->body = converted;
        r->converted = 1;
    }
    r->body = pl_buf_detach(&t->body, &r->body_len);
    if (!r->body) {
        fail_nomem(r);
        return;
    }
    r->code = PL_FETCH_OK;
}

/* ---- failures reported by libcurl ---- */

/* The host and port of url, for messages ("?" when it does not parse). */
static void url_host(const char *url, char *host, size_t size, long *port)
{
    CURLU *u = curl_url();
    char *h = NULL, *p = NULL;
    printable_copy(host, size, "?");
    *port = 0;
    if (!u)
        return;
    if (url && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK) {
        if (curl_url_get(u, CURLUPART_HOST, &h, 0) == CURLUE_OK)
            printable_copy(host, size, h);
        if (curl_url_get(u, CURLUPART_PORT, &p, CURLU_DEFAULT_PORT) == CURLUE_OK)
            *port = strtol(p, NULL, 10);
    }
    curl_free(h);
    curl_free(p);
    curl_url_cleanup(u);
}

/* The scheme of a Location value ("file" in file:///etc/passwd), or "" for a
 * relative one. */
static void location_scheme(const char *location, char *out, size_t size)
{
    size_t i = 0;
    out[0] = '\0';
    if (!location)
        return;
    while (location[i] && i + 1 < size &&
           ((location[i] >= 'a' && location[i] <= 'z') ||
            (location[i] >= 'A' && location[i] <= 'Z') ||
            (i > 0 && ((location[i] >= '0' && location[i] <= '9') || location[i] == '+' ||
                       location[i] == '-' || location[i] == '.'))))
        i++;
    if (i > 0 && location[i] == ':') {
        size_t j;
        for (j = 0; j < i; j++)
            out[j] = ascii_lower(location[j]);
        out[i] = '\0';
    }
}

/* libcurl reports three limits as one timeout code; which one fired is read
 * from how far the transfer got and how long it ran. */
static void describe_timeout(transfer *t, const char *host)
{
    curl_off_t total = 0, connect = 0, appconnect = 0; /* microseconds, redirects included */
    char limit[32];
    char *url = NULL;
    curl_easy_getinfo(t->curl, CURLINFO_TOTAL_TIME_T, &total);
    curl_easy_getinfo(t->curl, CURLINFO_CONNECT_TIME_T, &connect);
    curl_easy_getinfo(t->curl, CURLINFO_APPCONNECT_TIME_T, &appconnect);
    curl_easy_getinfo(t->curl, CURLINFO_EFFECTIVE_URL, &url);
    if (connect == 0 || (url && ascii_istarts(url, strlen(url), "https:") && appconnect == 0)) {
        fail(t->result, PL_FETCH_ERR_TIMEOUT, "timed out connecting to %s", host);
    } else if (total / 1000 + 100 >= t->timeout_ms) {
        format_seconds(limit, sizeof limit, t->timeout_ms);
        fail(t->result, PL_FETCH_ERR_TIMEOUT, "timed out after %s", limit);
    } else {
        fail(t->result, PL_FETCH_ERR_TIMEOUT, "too slow: less than %ld bytes/s for %ld s",
             t->low_speed_bytes, t->low_speed_seconds);
    }
}

static void describe_connect_failure(transfer *t, const char *host, long port)
{
    long os_errno = 0;
    const char *why;
    char detail[CURL_ERROR_SIZE];
    curl_easy_getinfo(t->curl, CURLINFO_OS_ERRNO, &os_errno);
    if (os_errno == ECONNREFUSED) {
        fail(t->result, PL_FETCH_ERR_CONNECT, "connection refused by %s port %ld", host, port);
        return;
    }
    why = os_errno == ENETUNREACH    ? "network unreachable"
          : os_errno == EHOSTUNREACH ? "host unreachable"
                                     : NULL;
    printable_copy(detail, sizeof detail, why ? why : t->errbuf);
    fail(t->result, PL_FETCH_ERR_CONNECT, "cannot connect to %s port %ld: %s", host, port, detail);
}

static void describe_curl_failure(transfer *t, CURLcode rc)
{
    pl_fetch_result *r = t->result;
    char host[256], detail[CURL_ERROR_SIZE], what[32];
    char *url = NULL;
    long port;
    curl_off_t got = 0, expected = -1;
    curl_easy_getinfo(t->curl, CURLINFO_EFFECTIVE_URL, &url);
    url_host(url, host, sizeof host, &port);
    printable_copy(detail, sizeof detail, t->errbuf[0] ? t->errbuf : curl_easy_strerror(rc));
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
        fail(r, PL_FETCH_ERR_DNS, "cannot resolve host '%s'", host);
        break;
    case CURLE_COULDNT_RESOLVE_PROXY:
        fail(r, PL_FETCH_ERR_DNS, "cannot resolve the proxy: %s", detail);
        break;
    case CURLE_COULDNT_CONNECT:
        describe_connect_failure(t, host, port);
        break;
    case CURLE_OPERATION_TIMEDOUT:
        describe_timeout(t, host);
        break;
    case CURLE_TOO_MANY_REDIRECTS:
        fail(r, PL_FETCH_ERR_REDIRECT, "too many redirects (more than %d)", PL_FETCH_MAX_REDIRECTS);
        break;
    case CURLE_UNSUPPORTED_PROTOCOL:
        location_scheme(t->location, what, sizeof what);
        if (what[0])
            fail(r, PL_FETCH_ERR_REDIRECT,
                 "refused a redirect to %s: (only http and https are followed)", what);
        else
            fail(r, PL_FETCH_ERR_URL, "unsupported protocol: %s", detail);
        break;
    case CURLE_FILESIZE_EXCEEDED:
        format_size(what, sizeof what, t->max_bytes);
        fail(r, PL_FETCH_ERR_TOO_LARGE, "response larger than the %s limit", what);
        break;
    case CURLE_PEER_FAILED_VERIFICATION:
        fail(r, PL_FETCH_ERR_TLS, "TLS error: the certificate of %s is not trusted (%s)", host,
             detail);
        break;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_USE_SSL_FAILED:
        fail(r, PL_FETCH_ERR_TLS, "TLS error with %s: %s", host, detail);
        break;
    case CURLE_PARTIAL_FILE:
        curl_easy_getinfo(t->curl, CURLINFO_SIZE_DOWNLOAD_T, &got);
        curl_easy_getinfo(t->curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &expected);
        if (expected >= 0)
            fail(r, PL_FETCH_ERR_TRANSFER,
                 "connection closed before the whole response arrived (%lld of %lld bytes)",
                 (long long)got, (long long)expected);
        else
            fail(r, PL_FETCH_ERR_TRANSFER, "connection closed before the whole response arrived");
        break;
    case CURLE_GOT_NOTHING:
        fail(r, PL_FETCH_ERR_TRANSFER, "%s closed the connection without answering", host);
        break;
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
        fail(r, PL_FETCH_ERR_TRANSFER, "connection to %s lost: %s", host, detail);
        break;
    case CURLE_BAD_CONTENT_ENCODING:
        fail(r, PL_FETCH_ERR_TRANSFER, "cannot decompress the response: %s", detail);
        break;
    case CURLE_WEIRD_SERVER_REPLY:
        fail(r, PL_FETCH_ERR_TRANSFER, "%s did not answer in HTTP: %s", host, detail);
        break;
    case CURLE_URL_MALFORMAT:
        fail(r, PL_FETCH_ERR_URL, "malformed URL: %s", detail);
        break;
    case CURLE_OUT_OF_MEMORY:
        fail_nomem(r);
        break;
    default:
        fail(r, PL_FETCH_ERR_TRANSFER, "%s", detail);
        break;
    }
}

/* ---- one transfer ---- */

static void transfer_cleanup(transfer *t)
{
    curl_easy_cleanup(t->curl);
    curl_slist_free_all(t->headers);
    pl_buf_free(&t->body);
    clear_response_headers(t);
    t->curl = NULL;
    t->headers = NULL;
}

/* Adds "Name: value" to the request headers unless value is unusable.
 * Returns -1 when out of memory. */
static int add_header(transfer *t, const char *name, const char *value)
{
    char line[HEADER_VALUE_MAX + 64];
    struct curl_slist *list;
    size_t n = value ? strlen(value) : 0;
    if (n == 0 || n > HEADER_VALUE_MAX || has_control(value, n))
        return 0;
    snprintf(line, sizeof line, "%s: %s", name, value);
    list = curl_slist_append(t->headers, line);
    if (!list)
        return -1;
    t->headers = list;
    return 0;
}

/* Refuses anything but an absolute http or https URL before libcurl sees
 * it, so the message names what was wrong. Returns 0 and fails r if so. */
static int check_url(pl_fetch_result *r, const char *url)
{
    CURLU *u;
    char *scheme = NULL;
    int ok = 0;
    if (!url || !*url) {
        fail(r, PL_FETCH_ERR_URL, "no URL given");
        return 0;
    }
    u = curl_url();
    if (!u) {
        fail_nomem(r);
        return 0;
    }
    /* Any scheme parses here, so that the message can name it. */
    if (curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK) {
        fail(r, PL_FETCH_ERR_URL, "not a URL (expected http:// or https://)");
    } else if (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0) {
        char shown[32];
        printable_copy(shown, sizeof shown, scheme);
        fail(r, PL_FETCH_ERR_URL, "only http and https URLs are fetched, not %s:", shown);
    } else {
        ok = 1;
    }
    curl_free(scheme);
    curl_url_cleanup(u);
    return ok;
}

static long or_default(long value, long fallback)
{
    return value > 0 ? value : fallback;
}

#define SET(option, value)                                                                         \
    do {                                                                                           \
        if (curl_easy_setopt(c, option, value) != CURLE_OK)                                        \
            goto refused;                                                                          \
    } while (0)

/* Prepares t for req. Returns 1 when the transfer is ready to run, 0 when
 * its result is already final (a bad URL, out of memory). */
static int transfer_init(transfer *t, pl_fetch_result *r, const pl_fetch_request *req,
                         const pl_fetch_options *opts)
{
    static const pl_fetch_options defaults = {0, 0, 0, 0, 0, 0, NULL};
    CURL *c;
    long connect_ms;
    if (!opts)
        opts = &defaults;
    memset(t, 0, sizeof *t);
    t->result = r;
    connect_ms = or_default(opts->connect_timeout_ms, PL_FETCH_DEFAULT_CONNECT_TIMEOUT_MS);
    t->timeout_ms = or_default(opts->timeout_ms, PL_FETCH_DEFAULT_TIMEOUT_MS);
    t->low_speed_bytes = or_default(opts->low_speed_bytes, PL_FETCH_DEFAULT_LOW_SPEED_BYTES);
    t->low_speed_seconds = or_default(opts->low_speed_seconds, PL_FETCH_DEFAULT_LOW_SPEED_SECONDS);
    t->max_bytes = opts->max_bytes ? opts->max_bytes : PL_FETCH_DEFAULT_MAX_BYTES;
    if (!check_url(r, req ? req->url : NULL))
        return 0;
    t->curl = c = curl_easy_init();
    if (!c) {
        fail_nomem(r);
        return 0;
    }
    if (add_header(t, "Accept", "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1") !=
            0 ||
        add_header(t, "If-None-Match", req->etag) != 0 ||
        add_header(t, "If-Modified-Since", req->last_modified) != 0) {
        fail_nomem(r);
        return 0;
    }
    /* The headers list now holds Accept plus whichever validator was usable. */
    t->conditional = t->headers && t->headers->next;
    SET(CURLOPT_URL, req->url);
    /* Every safety setting is checked: a libcurl that refuses one must not
     * run the transfer without it. */
    SET(CURLOPT_PROTOCOLS_STR, "http,https");
    SET(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    SET(CURLOPT_FOLLOWLOCATION, 1L);
    SET(CURLOPT_MAXREDIRS, (long)PL_FETCH_MAX_REDIRECTS);
    SET(CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
    SET(CURLOPT_TIMEOUT_MS, t->timeout_ms);
    SET(CURLOPT_LOW_SPEED_LIMIT, t->low_speed_bytes);
    SET(CURLOPT_LOW_SPEED_TIME, t->low_speed_seconds);
    /* Stops early when the announced (compressed) length is already over. */
    SET(CURLOPT_MAXFILESIZE_LARGE,
        t->max_bytes > (size_t)INT64_MAX ? (curl_off_t)INT64_MAX : (curl_off_t)t->max_bytes);
    SET(CURLOPT_SSL_VERIFYPEER, 1L);
    SET(CURLOPT_SSL_VERIFYHOST, 2L);
    SET(CURLOPT_NOSIGNAL, 1L); /* no SIGALRM for DNS timeouts: we may run in an editor */
    SET(CURLOPT_ACCEPT_ENCODING, "");
    SET(CURLOPT_USERAGENT, opts->user_agent ? opts->user_agent : "policylink/" PL_VERSION);
    SET(CURLOPT_HTTPHEADER, t->headers);
    SET(CURLOPT_HEADERFUNCTION, on_header);
    SET(CURLOPT_HEADERDATA, t);
    SET(CURLOPT_WRITEFUNCTION, on_body);
    SET(CURLOPT_WRITEDATA, t);
    SET(CURLOPT_ERRORBUFFER, t->errbuf);
    SET(CURLOPT_PRIVATE, t);
    return 1;
refused:
    fail(r, PL_FETCH_ERR_TRANSFER,
         "this libcurl lacks a required safety option (7.85 or newer "
         "is needed)");
    return 0;
}

#undef SET

/* Fills t's result once libcurl is done with it. */
static void transfer_finish(transfer *t, CURLcode rc)
{
    pl_fetch_result *r = t->result;
    char *url = NULL;
    curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &r->status);
    curl_easy_getinfo(t->curl, CURLINFO_EFFECTIVE_URL, &url);
    if (url && !(r->final_url = pl_strndup(url, strlen(url)))) {
        fail_nomem(r);
        return;
    }
    if (t->abort_code != PL_FETCH_OK)
        return; /* the callback that stopped it recorded why */
    if (rc != CURLE_OK) {
        describe_curl_failure(t, rc);
        return;
    }
    r->etag = t->etag;
    r->last_modified = t->last_modified;
    t->etag = t->last_modified = NULL;
    if (r->status == 304 && t->conditional) {
        r->code = PL_FETCH_NOT_MODIFIED;
        return;
    }
    if (!t->checked && !check_response(t))
        return;
    take_body(t);
}

pl_fetch_result *pl_fetch(const pl_fetch_request *req, const pl_fetch_options *opts)
{
    pl_fetch_result *r = pl_calloc(1, sizeof *r);
    transfer t;
    if (!r)
        return NULL;
    if (!curl_load()) {
        fail(r, PL_FETCH_ERR_UNAVAILABLE, "%s", curl_api.why);
        return r;
    }
    if (transfer_init(&t, r, req, opts))
        transfer_finish(&t, curl_easy_perform(t.curl));
    transfer_cleanup(&t);
    return r;
}

/* ---- many transfers at once ---- */

static void cancel(pl_fetch_result *r)
{
    fail(r, PL_FETCH_ERR_CANCELLED, "cancelled");
}

pl_status pl_fetch_many(const pl_fetch_request *reqs, size_t n, const pl_fetch_options *opts,
                        pl_fetch_progress_fn progress, void *ud, pl_fetch_result **results,
                        pl_error *err)
{
    transfer *ts = NULL;
    CURLM *multi = NULL;
    size_t i, next = 0, active = 0, done = 0;
    size_t parallel =
        opts && opts->max_parallel ? opts->max_parallel : PL_FETCH_DEFAULT_MAX_PARALLEL;
    int stop = 0;
    pl_error_clear(err);
    if (n == 0)
        return PL_OK;
    if (!reqs || !results)
        return pl_error_set(err, PL_ERR_INVALID_ARGUMENT, "no requests or no result array");
    for (i = 0; i < n; i++)
        results[i] = NULL;
    if (!curl_load()) { /* every request fails alike, as pl_fetch's would */
        for (i = 0; i < n; i++) {
            if (!(results[i] = pl_calloc(1, sizeof *results[i]))) {
                for (i = 0; i < n; i++) {
                    pl_free(results[i]);
                    results[i] = NULL;
                }
                return pl_error_set(err, PL_ERR_NOMEM, "out of memory");
            }
            fail(results[i], PL_FETCH_ERR_UNAVAILABLE, "%s", curl_api.why);
        }
        return PL_OK;
    }
    ts = pl_calloc(n, sizeof *ts);
    multi = curl_multi_init();
    if (!ts || !multi)
        goto nomem;
    for (i = 0; i < n; i++)
        if (!(results[i] = pl_calloc(1, sizeof *results[i])))
            goto nomem;

    while (done < n && !stop) {
        CURLMsg *msg;
        int running, queued;
        CURLMcode mc;
        /* Start transfers up to the limit; one that fails before it starts
         * (a bad URL) is done at once. */
        while (active < parallel && next < n && !stop) {
            i = next++;
            if (transfer_init(&ts[i], results[i], &reqs[i], opts) &&
                curl_multi_add_handle(multi, ts[i].curl) == CURLM_OK) {
                active++;
                continue;
            }
            if (results[i]->code == PL_FETCH_OK)
                fail_nomem(results[i]);
            transfer_cleanup(&ts[i]);
            done++;
            if (progress && progress(ud, i, results[i], done, n))
                stop = 1;
        }
        if (stop || active == 0)
            continue;
        mc = curl_multi_perform(multi, &running);
        while (mc == CURLM_OK && (msg = curl_multi_info_read(multi, &queued)) != NULL) {
            transfer *t;
            char *priv = NULL;
            if (msg->msg != CURLMSG_DONE)
                continue;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
            t = (transfer *)(void *)priv;
            transfer_finish(t, msg->data.result);
            curl_multi_remove_handle(multi, t->curl);
            transfer_cleanup(t);
            active--;
            done++;
            if (progress && !stop && progress(ud, (size_t)(t - ts), t->result, done, n))
                stop = 1;
        }
        if (mc == CURLM_OK && active > 0 && !stop)
            mc = curl_multi_poll(multi, NULL, 0, 1000, NULL);
        if (mc != CURLM_OK) {
            /* The multi handle itself failed: every running transfer ends
             * with that reason, and the rest are not started. */
            for (i = 0; i < next; i++) {
                if (ts[i].curl) {
                    curl_multi_remove_handle(multi, ts[i].curl);
                    transfer_cleanup(&ts[i]);
                    if (mc == CURLM_OUT_OF_MEMORY)
                        fail_nomem(results[i]);
                    else
                        fail(results[i], PL_FETCH_ERR_TRANSFER, "%s", curl_multi_strerror(mc));
                }
            }
            active = 0;
            stop = 1;
        }
    }
    /* Cancelled: whatever still runs or never started. */
    for (i = 0; i < n; i++) {
        if (ts[i].curl) {
            curl_multi_remove_handle(multi, ts[i].curl);
            transfer_cleanup(&ts[i]);
            cancel(results[i]);
        } else if (i >= next) {
            cancel(results[i]);
        }
    }
    curl_multi_cleanup(multi);
    pl_free(ts);
    return PL_OK;
nomem:
    for (i = 0; i < n; i++) {
        pl_free(results[i]);
        results[i] = NULL;
    }
    curl_multi_cleanup(multi);
    pl_free(ts);
    return pl_error_set(err, PL_ERR_NOMEM, "out of memory");
}

void pl_fetch_result_free(pl_fetch_result *r)
{
    if (!r)
        return;
    pl_free(r->body);
    pl_free(r->content_type);
    pl_free(r->charset);
    pl_free(r->final_url);
    pl_free(r->etag);
    pl_free(r->last_modified);
    pl_free(r);
}
