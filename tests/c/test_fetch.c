/* Tests of the web fetcher (src/fetch.c) against tests/http_server.py, which
 * the group setup starts on 127.0.0.1: every case has one exact outcome and
 * message. Nothing here leaves the machine (the DNS case uses a name the
 * resolver refuses before sending any query). Needs python3; the TLS case
 * also needs openssl (skipped with a message without it). */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "document.h"
#include "fetch.h"

#define SERVER_SCRIPT PL_FIXTURES_DIR "/../http_server.py"

static pid_t server_pid = -1;
static int server_stdin = -1;
static long port, tls_port;

/* Starts the server and reads "PORT TLS_PORT" from it. */
static int start_server(void **state)
{
    int in[2], out[2];
    char line[64];
    ssize_t n, got = 0;
    (void)state;
    /* A proxy from the environment must not see loopback test traffic. */
    setenv("no_proxy", "*", 1);
    setenv("NO_PROXY", "*", 1);
    if (pipe(in) != 0 || pipe(out) != 0)
        return -1;
    server_pid = fork();
    if (server_pid < 0)
        return -1;
    if (server_pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        close(in[0]);
        close(in[1]);
        close(out[0]);
        close(out[1]);
        execlp("python3", "python3", SERVER_SCRIPT, (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    server_stdin = in[1];
    while (got < (ssize_t)sizeof line - 1 && (n = read(out[0], line + got, 1)) == 1) {
        if (line[got++] == '\n')
            break;
    }
    close(out[0]);
    line[got] = '\0';
    if (sscanf(line, "%ld %ld", &port, &tls_port) != 2) {
        fprintf(stderr, "cannot start %s (is python3 installed?)\n", SERVER_SCRIPT);
        return -1;
    }
    return 0;
}

static int stop_server(void **state)
{
    (void)state;
    if (server_stdin >= 0)
        close(server_stdin); /* the server exits when its input closes */
    if (server_pid > 0)
        waitpid(server_pid, NULL, 0);
    /* libcurl's global state (OpenSSL's included) would otherwise show as
     * still reachable memory under valgrind. */
    pl_fetch_global_cleanup();
    return 0;
}

static void url_for(char *out, size_t size, const char *path)
{
    snprintf(out, size, "http://127.0.0.1:%ld%s", port, path);
}

static pl_fetch_result *fetch_with(const char *path, const pl_fetch_options *opts)
{
    char url[256];
    pl_fetch_request req = {NULL, NULL, NULL};
    pl_fetch_result *r;
    url_for(url, sizeof url, path);
    req.url = url;
    r = pl_fetch(&req, opts);
    assert_non_null(r);
    return r;
}

static pl_fetch_result *fetch(const char *path)
{
    return fetch_with(path, NULL);
}

static void assert_failure(const char *path, const pl_fetch_options *opts, pl_fetch_code code,
                           const char *message)
{
    pl_fetch_result *r = fetch_with(path, opts);
    if (r->code != code || strcmp(r->error.message, message) != 0)
        fail_msg("%s: expected %s \"%s\", got %s \"%s\"", path, pl_fetch_code_name(code), message,
                 pl_fetch_code_name(r->code), r->error.message);
    assert_null(r->body);
    pl_fetch_result_free(r);
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_html_article(void **state)
{
    pl_fetch_result *r = fetch("/article");
    pl_document *doc;
    pl_error err;
    char url[256];
    (void)state;
    assert_int_equal(r->code, PL_FETCH_OK);
    assert_int_equal(r->status, 200);
    assert_string_equal(r->content_type, "text/html");
    assert_string_equal(r->charset, "utf-8");
    assert_true(r->is_html);
    assert_false(r->converted);
    assert_string_equal(r->etag, "\"article-v1\"");
    assert_string_equal(r->last_modified, "Wed, 01 Jan 2025 00:00:00 GMT");
    url_for(url, sizeof url, "/article");
    assert_string_equal(r->final_url, url);
    assert_int_equal(strlen(r->body), r->body_len);
    doc = pl_document_create(r->body, r->body_len, NULL, &err);
    assert_non_null(doc);
    assert_string_equal(doc->title, "Harbour dues and the port budget");
    assert_non_null(strstr(doc->text, "The port authority raised harbour dues"));
    assert_null(strstr(doc->text, "Copyright"));
    pl_document_free(doc);
    pl_fetch_result_free(r);
}

static void test_request_headers(void **state)
{
    pl_fetch_result *r = fetch("/echo-headers");
    (void)state;
    assert_int_equal(r->code, PL_FETCH_OK);
    assert_non_null(strstr(r->body, "User-Agent: policylink/"));
    assert_non_null(strstr(r->body, "Accept: text/html,application/xhtml+xml,text/plain;q=0.9"));
    assert_non_null(strstr(r->body, "gzip"));
    assert_non_null(strstr(r->body, "deflate"));
    assert_null(strstr(r->body, "If-None-Match"));
    pl_fetch_result_free(r);
}

static void test_plain_text_and_missing_type(void **state)
{
    pl_fetch_result *r = fetch("/plain");
    (void)state;
    assert_int_equal(r->code, PL_FETCH_OK);
    assert_string_equal(r->content_type, "text/plain");
    assert_false(r->is_html);
    assert_string_equal(r->body, "Notes on the budget.\n\nThe council approved the budget on "
                                 "Tuesday. Spending on roads rises by a tenth, and the reserve "
                                 "fund is kept at last year's level.\n");
    pl_fetch_result_free(r);
    /* No Content-Type at all: accepted, and the text engine sniffs it. */
    r = fetch("/notype");
    assert_int_equal(r->code, PL_FETCH_OK);
    assert_null(r->content_type);
    assert_null(r->charset);
    assert_false(r->is_html);
    pl_fetch_result_free(r);
    r = fetch("/xhtml");
    assert_int_equal(r->code, PL_FETCH_OK);
    assert_true(r->is_html);
    pl_fetch_result_free(r);
}

static void test_conditional_requests(void **state)
{
    char url[256];
    pl_fetch_request req = {NULL, "\"article-v1\"", NULL};
    pl_fetch_result *r;
    (void)state;
    url_for(url, sizeof url, "/article");
    req.url = url;
    r = pl_fetch(&req, NULL);
    assert_int_equal(r->code, PL_FETCH_NOT_MODIFIED);
    assert_int_equal(r->status, 304);
    assert_null(r->body);
    assert_string_equal(r->etag, "\"article-v1\"");
    pl_fetch_result_free(r);

    req.etag = NULL;
    req.last_modified = "Wed, 01 Jan 2025 00:00:00 GMT";
    r = pl_fetch(&req, NULL);
    assert_int_equal(r->code, PL_FETCH_NOT_MODIFIED);
    pl_fetch_result_free(r);

    /* A changed page (validator no longer matches) comes back whole. */
    req.etag = "\"article-v0\"";
    req.last_modified = NULL;
    r = pl_fetch(&req, NULL);
    assert_int_equal(r->code, PL_FETCH_OK);
    assert_int_equal(r->status, 200);
    pl_fetch_result_free(r);

    /* A validator that would inject a header is not sent. */
    url_for(url, sizeof url, "/echo-headers");
    req.etag = "\"x\"\r\nX-Injected: 1";
    r = pl_fetch(&req, NULL);
    assert_int_equal(r->code, PL_FETCH_OK);
    assert_null(strstr(r->body, "X-Injected"));
    assert_null(strstr(r->body, "If-None-Match"));
    pl_fetch_result_free(r);
}

static void test_redirects(void **state)
{
    char url[256];
    pl_fetch_result *r = fetch("/redirect/5");
    (void)state;
    assert_int_equal(r->code, PL_FETCH_OK);
    url_for(url, sizeof url, "/article");
    assert_string_equal(r->final_url, url);
    pl_fetch_result_free(r);
    assert_failure("/redirect/6", NULL, PL_FETCH_ERR_REDIRECT, "too many redirects (more than 5)");
    assert_failure("/loop", NULL, PL_FETCH_ERR_REDIRECT, "too many redirects (more than 5)");
    assert_failure("/to-file", NULL, PL_FETCH_ERR_REDIRECT,
                   "refused a redirect to file: (only http and https are followed)");
    assert_failure("/to-ftp", NULL, PL_FETCH_ERR_REDIRECT,
                   "refused a redirect to ftp: (only http and https are followed)");
}

static void test_http_errors(void **state)
{
    pl_fetch_result *r;
    (void)state;
    assert_failure("/status/404", NULL, PL_FETCH_ERR_HTTP, "HTTP 404 Not Found");
    assert_failure("/status/500", NULL, PL_FETCH_ERR_HTTP, "HTTP 500 Internal Server Error");
    assert_failure("/status/503", NULL, PL_FETCH_ERR_HTTP, "HTTP 503 Service Unavailable");
    /* An empty body: the status is checked after the transfer instead. */
    assert_failure("/teapot", NULL, PL_FETCH_ERR_HTTP, "HTTP 418 I'm a teapot");
    r = fetch("/status/404");
    assert_int_equal(r->status, 404);
    pl_fetch_result_free(r);
}

static void test_slow_server(void **state)
{
    pl_fetch_options opts;
    double start = now_seconds();
    (void)state;
    memset(&opts, 0, sizeof opts);
    opts.low_speed_bytes = 1000;
    opts.low_speed_seconds = 1;
    assert_failure("/slow", &opts, PL_FETCH_ERR_TIMEOUT,
                   "too slow: less than 1000 bytes/s for 1 s");
    assert_true(now_seconds() - start < 5.0);
}

static void test_total_timeout(void **state)
{
    pl_fetch_options opts;
    double start = now_seconds();
    (void)state;
    memset(&opts, 0, sizeof opts);
    opts.timeout_ms = 1000;
    assert_failure("/hang", &opts, PL_FETCH_ERR_TIMEOUT, "timed out after 1 s");
    opts.timeout_ms = 1500;
    assert_failure("/hang", &opts, PL_FETCH_ERR_TIMEOUT, "timed out after 1.5 s");
    assert_true(now_seconds() - start < 6.0);
}

static void test_size_cap(void **state)
{
    pl_fetch_options opts;
    (void)state;
    memset(&opts, 0, sizeof opts);
    opts.max_bytes = (size_t)1 << 20;
    /* Announced length over the cap: stopped before the body. */
    assert_failure("/large", &opts, PL_FETCH_ERR_TOO_LARGE, "response larger than the 1 MiB limit");
    /* No length announced: stopped in the write callback. */
    assert_failure("/large-chunked", &opts, PL_FETCH_ERR_TOO_LARGE,
                   "response larger than the 1 MiB limit");
    opts.max_bytes = 500;
    assert_failure("/article", &opts, PL_FETCH_ERR_TOO_LARGE,
                   "response larger than the 500 bytes limit");
}

static void test_gzip_bomb(void **state)
{
    double start = now_seconds();
    (void)state;
    /* 64 KiB on the wire, 64 MiB decoded: the default cap counts decoded
     * bytes, so it stops at 16 MiB. */
    assert_failure("/bomb", NULL, PL_FETCH_ERR_TOO_LARGE, "response larger than the 16 MiB limit");
    assert_true(now_seconds() - start < 10.0);
}

static void test_compressed_article(void **state)
{
    pl_fetch_result *r = fetch("/gzip");
    pl_fetch_result *d = fetch("/deflate");
    pl_fetch_result *plain = fetch("/article");
    (void)state;
    assert_int_equal(r->code, PL_FETCH_OK);
    assert_int_equal(d->code, PL_FETCH_OK);
    assert_string_equal(r->body, plain->body);
    assert_string_equal(d->body, plain->body);
    pl_fetch_result_free(r);
    pl_fetch_result_free(d);
    pl_fetch_result_free(plain);
}

static void test_unsupported_types(void **state)
{
    (void)state;
    assert_failure("/pdf", NULL, PL_FETCH_ERR_TYPE,
                   "unsupported content type 'application/pdf' (only HTML and plain text are "
                   "read)");
    assert_failure("/png", NULL, PL_FETCH_ERR_TYPE,
                   "unsupported content type 'image/png' (only HTML and plain text are read)");
}

static void test_latin1_from_header(void **state)
{
    pl_fetch_result *r = fetch("/latin1");
    pl_document *doc;
    pl_error err;
    (void)state;
    assert_int_equal(r->code, PL_FETCH_OK);
    assert_string_equal(r->charset, "iso-8859-1");
    assert_true(r->converted);
    assert_non_null(strstr(r->body, "The caf\xc3\xa9 on the square"));
    assert_non_null(strstr(r->body, "na\xc3\xafve customer paid \xc2\xa3"
                                    "3"));
    doc = pl_document_create(r->body, r->body_len, NULL, &err);
    assert_non_null(doc);
    assert_string_equal(doc->title, "Caf\xc3\xa9 prices");
    assert_int_equal(doc->replaced_bytes, 0);
    assert_non_null(strstr(doc->text, "the na\xc3\xafve customer paid \xc2\xa3"
                                      "3 for a coffee"));
    pl_document_free(doc);
    pl_fetch_result_free(r);

    r = fetch("/latin1-text");
    assert_int_equal(r->code, PL_FETCH_OK);
    assert_true(r->converted);
    assert_string_equal(r->body, "Caf\xc3\xa9 prices rose again this month, to the dismay of "
                                 "every regular customer who remembered the old menu.\n");
    pl_fetch_result_free(r);

    assert_failure("/unknown-charset", NULL, PL_FETCH_ERR_CHARSET,
                   "unknown charset 'x-no-such-charset' in the Content-Type header");
}

static void test_gbk_declared_in_page(void **state)
{
    pl_fetch_result *r = fetch("/gbk");
    pl_document *doc;
    pl_error err;
    (void)state;
    assert_int_equal(r->code, PL_FETCH_OK);
    assert_null(r->charset);
    assert_false(r->converted); /* the page says gbk itself: the text engine converts */
    doc = pl_document_create(r->body, r->body_len, NULL, &err);
    assert_non_null(doc);
    assert_string_equal(doc->title, "\xe6\xb8\xaf\xe5\x8f\xa3\xe8\xb4\xb8\xe6\x98\x93");
    assert_non_null(strstr(doc->text, "\xe6\xb8\xaf\xe5\x8f\xa3\xe4\xbb\x8a\xe5\xb9\xb4"));
    pl_document_free(doc);
    pl_fetch_result_free(r);
}

static void test_connection_closed(void **state)
{
    (void)state;
    assert_failure("/truncated", NULL, PL_FETCH_ERR_TRANSFER,
                   "connection closed before the whole response arrived (200 of 10000 bytes)");
    assert_failure("/nothing", NULL, PL_FETCH_ERR_TRANSFER,
                   "127.0.0.1 closed the connection without answering");
}

/* A port nothing listens on: bound, read, closed. */
static long free_port(void)
{
    struct sockaddr_in addr;
    socklen_t len = sizeof addr;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    long p;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof addr), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&addr, &len), 0);
    p = ntohs(addr.sin_port);
    close(fd);
    return p;
}

static void test_connection_refused(void **state)
{
    char url[128], message[128];
    long p = free_port();
    pl_fetch_request req = {NULL, NULL, NULL};
    pl_fetch_result *r;
    (void)state;
    snprintf(url, sizeof url, "http://127.0.0.1:%ld/", p);
    snprintf(message, sizeof message, "connection refused by 127.0.0.1 port %ld", p);
    req.url = url;
    r = pl_fetch(&req, NULL);
    assert_int_equal(r->code, PL_FETCH_ERR_CONNECT);
    assert_string_equal(r->error.message, message);
    pl_fetch_result_free(r);
}

static void test_dns_failure(void **state)
{
    /* A 64-character label is longer than DNS allows, so the resolver
     * fails it locally without sending a query. */
    static const char host[] =
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.invalid";
    char url[128], message[160];
    pl_fetch_request req = {NULL, NULL, NULL};
    pl_fetch_result *r;
    (void)state;
    snprintf(url, sizeof url, "http://%s/", host);
    snprintf(message, sizeof message, "cannot resolve host '%s'", host);
    req.url = url;
    r = pl_fetch(&req, NULL);
    assert_int_equal(r->code, PL_FETCH_ERR_DNS);
    assert_string_equal(r->error.message, message);
    pl_fetch_result_free(r);
}

static void test_bad_urls(void **state)
{
    static const struct {
        const char *url, *message;
    } cases[] = {
        {"ftp://127.0.0.1/file", "only http and https URLs are fetched, not ftp:"},
        {"file:///etc/passwd", "only http and https URLs are fetched, not file:"},
        {"foo://example.org/", "only http and https URLs are fetched, not foo:"},
        {"example.org/page", "not a URL (expected http:// or https://)"},
        {"", "no URL given"},
        {NULL, "no URL given"},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pl_fetch_request req = {NULL, NULL, NULL};
        pl_fetch_result *r;
        req.url = cases[i].url;
        r = pl_fetch(&req, NULL);
        assert_int_equal(r->code, PL_FETCH_ERR_URL);
        assert_string_equal(r->error.message, cases[i].message);
        assert_null(r->final_url);
        pl_fetch_result_free(r);
    }
}

static void test_tls_untrusted_certificate(void **state)
{
    char url[128];
    pl_fetch_request req = {NULL, NULL, NULL};
    pl_fetch_result *r;
    (void)state;
    if (tls_port == 0) {
        print_message("openssl not found: the TLS case is skipped\n");
        skip();
    }
    snprintf(url, sizeof url, "https://127.0.0.1:%ld/article", tls_port);
    req.url = url;
    r = pl_fetch(&req, NULL);
    assert_int_equal(r->code, PL_FETCH_ERR_TLS);
    /* The part in parentheses is OpenSSL's wording. */
    assert_true(strncmp(r->error.message,
                        "TLS error: the certificate of 127.0.0.1 is not trusted (SSL certificate "
                        "problem: self",
                        77) == 0);
    pl_fetch_result_free(r);
}

typedef struct progress_log {
    size_t calls, last_done, cancel_after;
    int in_order;
} progress_log;

static int on_progress(void *ud, size_t index, const pl_fetch_result *result, size_t done,
                       size_t total)
{
    progress_log *log = ud;
    (void)index;
    assert_non_null(result);
    assert_int_equal(total, 22);
    log->calls++;
    if (done != log->last_done + 1)
        log->in_order = 0;
    log->last_done = done;
    return log->cancel_after && log->calls >= log->cancel_after;
}

static void test_fetch_many(void **state)
{
    enum { PAGES = 20, N = PAGES + 2 };
    char urls[N][128], expected[64];
    pl_fetch_request reqs[N];
    pl_fetch_result *results[N];
    pl_fetch_options opts;
    progress_log log = {0, 0, 0, 1};
    double start = now_seconds(), elapsed;
    pl_fetch_result *stats;
    long max_inflight = 0;
    size_t i;
    (void)state;
    memset(&opts, 0, sizeof opts);
    opts.max_parallel = 8;
    for (i = 0; i < N; i++) {
        if (i < PAGES) {
            snprintf(expected, sizeof expected, "/page/%zu", i);
            url_for(urls[i], sizeof urls[i], expected);
        } else if (i == PAGES) {
            url_for(urls[i], sizeof urls[i], "/status/404");
        } else {
            snprintf(urls[i], sizeof urls[i], "gopher://127.0.0.1/");
        }
        reqs[i].url = urls[i];
        reqs[i].etag = reqs[i].last_modified = NULL;
    }
    assert_int_equal(pl_fetch_many(reqs, N, &opts, on_progress, &log, results, NULL), PL_OK);
    elapsed = now_seconds() - start;
    assert_int_equal(log.calls, N);
    assert_true(log.in_order);
    for (i = 0; i < PAGES; i++) {
        assert_int_equal(results[i]->code, PL_FETCH_OK);
        snprintf(expected, sizeof expected, "<title>Report number %zu</title>", i);
        assert_non_null(strstr(results[i]->body, expected));
    }
    assert_int_equal(results[PAGES]->code, PL_FETCH_ERR_HTTP);
    assert_string_equal(results[PAGES]->error.message, "HTTP 404 Not Found");
    assert_int_equal(results[PAGES + 1]->code, PL_FETCH_ERR_URL);
    for (i = 0; i < N; i++)
        pl_fetch_result_free(results[i]);
    /* Each page takes 0.2 s to answer: one at a time would need 4 s. */
    assert_true(elapsed < 2.5);
    stats = fetch("/stats");
    assert_int_equal(sscanf(stats->body, "max_inflight %ld", &max_inflight), 1);
    assert_true(max_inflight > 1);
    assert_true(max_inflight <= 8);
    pl_fetch_result_free(stats);
}

static void test_fetch_many_cancel(void **state)
{
    enum { N = 22 };
    char urls[N][128], path[32];
    pl_fetch_request reqs[N];
    pl_fetch_result *results[N];
    pl_fetch_options opts;
    progress_log log = {0, 0, 1, 1};
    size_t i, cancelled = 0;
    (void)state;
    memset(&opts, 0, sizeof opts);
    opts.max_parallel = 4;
    for (i = 0; i < N; i++) {
        snprintf(path, sizeof path, "/page/%zu", i);
        url_for(urls[i], sizeof urls[i], path);
        reqs[i].url = urls[i];
        reqs[i].etag = reqs[i].last_modified = NULL;
    }
    assert_int_equal(pl_fetch_many(reqs, N, &opts, on_progress, &log, results, NULL), PL_OK);
    assert_int_equal(log.calls, 1);
    /* Transfers that finished in the same round as the first keep their
     * results; the others, running or not started, are cancelled. */
    for (i = 0; i < N; i++) {
        assert_non_null(results[i]);
        if (results[i]->code == PL_FETCH_ERR_CANCELLED) {
            assert_string_equal(results[i]->error.message, "cancelled");
            assert_null(results[i]->body);
            cancelled++;
        } else {
            assert_int_equal(results[i]->code, PL_FETCH_OK);
        }
        pl_fetch_result_free(results[i]);
    }
    assert_true(cancelled >= N - 4 && cancelled <= N - 1);
    assert_int_equal(pl_fetch_many(NULL, 0, NULL, NULL, NULL, NULL, NULL), PL_OK);
}

/* Every allocation of a fetch failing in turn: a NULL result or an
 * out-of-memory code, never a crash or a leak. */
static void test_allocation_failures(void **state)
{
    long n;
    int succeeded = 0;
    (void)state;
    for (n = 0; n < 200 && !succeeded; n++) {
        char url[256];
        pl_fetch_request req = {NULL, NULL, NULL};
        pl_fetch_result *r;
        url_for(url, sizeof url, "/latin1");
        req.url = url;
        pl_alloc_fail_after(n);
        r = pl_fetch(&req, NULL);
        pl_alloc_fail_after(-1);
        if (!r)
            continue;
        if (r->code == PL_FETCH_OK)
            succeeded = 1;
        else
            assert_int_equal(r->code, PL_FETCH_ERR_NOMEM);
        pl_fetch_result_free(r);
    }
    assert_true(succeeded);
}

static void test_code_names(void **state)
{
    (void)state;
    assert_string_equal(pl_fetch_code_name(PL_FETCH_OK), "ok");
    assert_string_equal(pl_fetch_code_name(PL_FETCH_NOT_MODIFIED), "not_modified");
    assert_string_equal(pl_fetch_code_name(PL_FETCH_ERR_TYPE), "unsupported_type");
    assert_string_equal(pl_fetch_code_name(PL_FETCH_ERR_TOO_LARGE), "too_large");
    assert_string_equal(pl_fetch_code_name((pl_fetch_code)999), "unknown");
    pl_fetch_result_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_html_article),
        cmocka_unit_test(test_request_headers),
        cmocka_unit_test(test_plain_text_and_missing_type),
        cmocka_unit_test(test_conditional_requests),
        cmocka_unit_test(test_redirects),
        cmocka_unit_test(test_http_errors),
        cmocka_unit_test(test_slow_server),
        cmocka_unit_test(test_total_timeout),
        cmocka_unit_test(test_size_cap),
        cmocka_unit_test(test_gzip_bomb),
        cmocka_unit_test(test_compressed_article),
        cmocka_unit_test(test_unsupported_types),
        cmocka_unit_test(test_latin1_from_header),
        cmocka_unit_test(test_gbk_declared_in_page),
        cmocka_unit_test(test_connection_closed),
        cmocka_unit_test(test_connection_refused),
        cmocka_unit_test(test_dns_failure),
        cmocka_unit_test(test_bad_urls),
        cmocka_unit_test(test_tls_untrusted_certificate),
        cmocka_unit_test(test_fetch_many),
        cmocka_unit_test(test_fetch_many_cancel),
        cmocka_unit_test(test_allocation_failures),
        cmocka_unit_test(test_code_names),
    };
    signal(SIGPIPE, SIG_IGN);
    return cmocka_run_group_tests_name("fetch", tests, start_server, stop_server);
}
