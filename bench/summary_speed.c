/* Speed of summarization in one process: every article of a folder cleaned
 * and summarized in turn, then one large document (the articles joined) at
 * two sizes, to show the time stays linear. bench/summary_speed.sh runs it
 * next to ots and the policylink program on the same files. */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "document.h"
#include "summarize.h"

#define MIB ((size_t)1 << 20)
#define RUNS 3

typedef struct text {
    char *data;
    size_t len;
} text;

typedef struct corpus {
    char **paths;
    size_t count, cap;
} corpus;

static _Noreturn void die(const char *what)
{
    fprintf(stderr, "summary_speed: %s\n", what);
    exit(1);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long peak_rss_kib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every .txt file under dir, recursively. */
static void collect(const char *dir, corpus *c)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    if (!d)
        return;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(dir) + strlen(e->d_name) + 2;
        char *path;
        struct stat st;
        if (e->d_name[0] == '.')
            continue;
        path = malloc(len);
        if (!path)
            die("out of memory");
        snprintf(path, len, "%s/%s", dir, e->d_name);
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
            collect(path, c);
            free(path);
        } else if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && len > 5 &&
                   strcmp(path + strlen(path) - 4, ".txt") == 0) {
            if (c->count == c->cap) {
                char **grown;
                c->cap = c->cap ? c->cap * 2 : 512;
                grown = realloc(c->paths, c->cap * sizeof *grown);
                if (!grown)
                    die("out of memory");
                c->paths = grown;
            }
            c->paths[c->count++] = path;
        } else {
            free(path);
        }
    }
    closedir(d);
}

static text read_all(const char *path)
{
    text t = {NULL, 0};
    FILE *f = fopen(path, "rb");
    long size;
    if (!f || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
        die("cannot read an article");
    t.data = malloc((size_t)size + 1);
    if (!t.data)
        die("out of memory");
    t.len = fread(t.data, 1, (size_t)size, f);
    fclose(f);
    return t;
}

/* Cleans and summarizes one text; returns the sentences chosen. */
static size_t summarize_one(const char *s, size_t n, const pl_summary_options *opts,
                            double *clean_s, double *sum_s, size_t *sentences)
{
    pl_document_options dopts = {PL_FORMAT_TEXT, 0};
    pl_error err;
    double t0 = now(), t1;
    pl_document *doc = pl_document_create(s, n, &dopts, &err);
    pl_summary *sum;
    size_t count;
    t1 = now();
    *clean_s += t1 - t0;
    if (!doc)
        return 0; /* an article of chrome only: nothing to summarize */
    sum = pl_summarize(doc, opts, &err);
    if (!sum) {
        fprintf(stderr, "summary_speed: %s\n", err.message);
        exit(1);
    }
    *sum_s += now() - t1;
    if (sentences)
        *sentences = doc->sentence_count;
    count = sum->count;
    pl_summary_free(sum);
    pl_document_free(doc);
    return count;
}

/* The articles joined by blank lines, repeated until at least want bytes,
 * cut at the first article boundary past that. */
static text join(const text *articles, size_t count, size_t want)
{
    text big = {NULL, 0};
    size_t cap = want + 64 * 1024, i = 0;
    big.data = malloc(cap);
    if (!big.data)
        die("out of memory");
    while (big.len < want) {
        const text *a = &articles[i++ % count];
        if (big.len + a->len + 2 > cap) {
            char *grown;
            cap = (big.len + a->len + 2) * 2;
            grown = realloc(big.data, cap);
            if (!grown)
                die("out of memory");
            big.data = grown;
        }
        memcpy(big.data + big.len, a->data, a->len);
        memcpy(big.data + big.len + a->len, "\n\n", 2);
        big.len += a->len + 2;
    }
    return big;
}

int main(int argc, char **argv)
{
    const char *dir = NULL, *write_big = NULL;
    double ratio = 0.2, best_total = 1e30, small_total = 0.0;
    size_t mb = 5, i, chosen = 0, bytes = 0;
    corpus c = {NULL, 0, 0};
    text *articles;
    pl_summary_options per_article, big_opts;
    int run, a;

    for (a = 1; a < argc; a++) {
        if (strcmp(argv[a], "--mb") == 0 && a + 1 < argc)
            mb = (size_t)strtoul(argv[++a], NULL, 10);
        else if (strcmp(argv[a], "--ratio") == 0 && a + 1 < argc)
            ratio = strtod(argv[++a], NULL);
        else if (strcmp(argv[a], "--write-big") == 0 && a + 1 < argc)
            write_big = argv[++a];
        else if (!dir && argv[a][0] != '-')
            dir = argv[a];
        else
            die("usage: summary_speed DATA_DIR [--mb N] [--ratio R] [--write-big PATH]");
    }
    if (!dir || mb == 0)
        die("usage: summary_speed DATA_DIR [--mb N] [--ratio R] [--write-big PATH]");
    collect(dir, &c);
    if (c.count == 0) {
        printf("SKIP: no .txt files under %s\n", dir);
        return 0;
    }
    qsort(c.paths, c.count, sizeof *c.paths, by_name);
    articles = malloc(c.count * sizeof *articles);
    if (!articles)
        die("out of memory");
    for (i = 0; i < c.count; i++) {
        articles[i] = read_all(c.paths[i]);
        bytes += articles[i].len;
    }

    memset(&per_article, 0, sizeof per_article);
    per_article.ratio = ratio;
    for (run = 0; run < RUNS; run++) {
        double clean_s = 0.0, sum_s = 0.0, t0 = now();
        chosen = 0;
        for (i = 0; i < c.count; i++)
            chosen += summarize_one(articles[i].data, articles[i].len, &per_article, &clean_s,
                                    &sum_s, NULL);
        if (now() - t0 < best_total) {
            best_total = now() - t0;
            small_total = sum_s;
        }
    }
    printf("articles: %zu files, %.1f MiB, --ratio %.2f, one process, best of %d\n", c.count,
           (double)bytes / (double)MIB, ratio, RUNS);
    printf("  clean+summarize  %8.3f s  %7.3f ms/article  (summarize alone %.3f s), %zu "
           "sentences chosen\n",
           best_total, 1000.0 * best_total / (double)c.count, small_total, chosen);

    memset(&big_opts, 0, sizeof big_opts);
    {
        double totals[2] = {0.0, 0.0};
        size_t k;
        for (k = 0; k < 2; k++) {
            size_t want = mb * MIB * (k + 1), sentences = 0;
            text big = join(articles, c.count, want);
            double best_clean = 1e30, best_sum = 1e30;
            if (k == 0 && write_big) {
                FILE *f = fopen(write_big, "wb");
                if (!f || fwrite(big.data, 1, big.len, f) != big.len || fclose(f) != 0)
                    die("cannot write the large document");
            }
            for (run = 0; run < RUNS; run++) {
                double clean_s = 0.0, sum_s = 0.0;
                summarize_one(big.data, big.len, &big_opts, &clean_s, &sum_s, &sentences);
                if (clean_s + sum_s < best_clean + best_sum) {
                    best_clean = clean_s;
                    best_sum = sum_s;
                }
            }
            totals[k] = best_clean + best_sum;
            printf("one document of %.1f MiB (%zu sentences), 5 sentences, best of %d\n",
                   (double)big.len / (double)MIB, sentences, RUNS);
            printf("  clean %.3f s + summarize %.3f s = %.3f s   peak RSS so far %.0f MiB\n",
                   best_clean, best_sum, totals[k], (double)peak_rss_kib() / 1024.0);
            free(big.data);
        }
        printf("doubling the size: %.2fx the time (target at most 2.2x); %s 1 s at %zu MiB\n",
               totals[1] / totals[0], totals[0] < 1.0 ? "under" : "OVER", mb);
    }
    for (i = 0; i < c.count; i++) {
        free(articles[i].data);
        free(c.paths[i]);
    }
    free(articles);
    free(c.paths);
    return 0;
}
