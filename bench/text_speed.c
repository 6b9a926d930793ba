/* Throughput of the text engine (pl_document_create + pl_document_free) on
 * about 50 MB of news text, run side by side with a naive C segmenter and
 * ripgrep over the same bytes so the figure has something to be judged by. */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "document.h"

#ifndef PL_BENCH_DATA_DIR
#define PL_BENCH_DATA_DIR "../shared/data/bbc-news/articles"
#endif
#ifndef PL_EXAMPLES_DIR
#define PL_EXAMPLES_DIR "examples"
#endif

/* MiB, so a reported rate never flatters the engine against the 100 MB/s target. */
#define MB ((size_t)1 << 20)
#define RUNS 3
#define TARGET_MB_S 100.0

typedef struct file_entry {
    char *path;
    size_t size;
} file_entry;

typedef struct file_list {
    file_entry *items;
    size_t count, cap, total;
} file_list;

static void die_nomem(void)
{
    fputs("text_speed: out of memory\n", stderr);
    exit(1);
}

static void add_file(file_list *l, char *path, size_t size)
{
    if (l->count == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 256;
        file_entry *p = realloc(l->items, cap * sizeof *p);
        if (!p)
            die_nomem();
        l->items = p;
        l->cap = cap;
    }
    l->items[l->count].path = path;
    l->items[l->count++].size = size;
    l->total += size + 2; /* the blank line that follows each file */
}

static void free_files(file_list *l)
{
    size_t i;
    for (i = 0; i < l->count; i++)
        free(l->items[i].path);
    free(l->items);
}

static int has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int compare_paths(const void *a, const void *b)
{
    return strcmp(((const file_entry *)a)->path, ((const file_entry *)b)->path);
}

/* Collects every .txt path under dir, recursively. */
static void find_txt(const char *dir, file_list *out)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    if (!d)
        return;
    while ((e = readdir(d)) != NULL) {
        struct stat st;
        size_t len;
        char *path;
        if (e->d_name[0] == '.')
            continue;
        len = strlen(dir) + strlen(e->d_name) + 2;
        path = malloc(len);
        if (!path)
            die_nomem();
        snprintf(path, len, "%s/%s", dir, e->d_name);
        if (stat(path, &st) != 0) {
            free(path);
        } else if (S_ISDIR(st.st_mode)) {
            find_txt(path, out);
            free(path);
        } else if (S_ISREG(st.st_mode) && has_suffix(path, ".txt")) {
            add_file(out, path, (size_t)st.st_size);
        } else {
            free(path);
        }
    }
    closedir(d);
}

/* Reads the files (each followed by a blank line) into one buffer allocated at
 * its final size, then repeats them until it holds at least want bytes. One
 * allocation, so no realloc high-water mark ends up in the peak RSS charged to
 * the engine. Returns NULL when a file cannot be read or changed size. */
static char *load_corpus(const file_list *l, size_t want, size_t *len, size_t *copies)
{
    size_t unit = l->total, n, pos = 0, i;
    char *p;
    if (unit == 0)
        return NULL;
    n = (want + unit - 1) / unit;
    p = malloc(n * unit + 1);
    if (!p)
        die_nomem();
    for (i = 0; i < l->count; i++) {
        const file_entry *e = &l->items[i];
        FILE *f = fopen(e->path, "rb");
        size_t got = f ? fread(p + pos, 1, e->size, f) : 0;
        int more = f ? fgetc(f) != EOF : 0;
        if (f)
            fclose(f);
        if (!f || got != e->size || more) {
            fprintf(stderr, "text_speed: cannot read %s (or it changed size)\n", e->path);
            free(p);
            return NULL;
        }
        memcpy(p + pos + got, "\n\n", 2);
        pos += got + 2;
    }
    for (i = 1; i < n; i++)
        memcpy(p + i * unit, p, unit);
    p[n * unit] = '\0';
    *len = n * unit;
    *copies = n;
    return p;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double peak_rss_mb(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return 0;
    return (double)ru.ru_maxrss * 1024.0 / (double)MB; /* Linux reports KiB */
}

typedef struct span {
    size_t start, end;
} span;

static int is_space(char c)
{
    return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

/* The baseline: what a hurried programmer writes. Split after '.', '!' or '?'
 * when white space follows (the same rule as the ripgrep row, so the counts
 * are comparable), trim leading white space, record the spans. No UTF-8
 * repair, no boilerplate, no abbreviations. memchr does the scanning because
 * that is the fastest honest way to find the candidates. */
static size_t naive_segment(const char *s, size_t n)
{
    static const char terminators[] = ".!?";
    const char *next[3];
    span *spans = NULL;
    size_t count = 0, cap = 0, start = 0, k;

    for (k = 0; k < 3; k++)
        next[k] = memchr(s, terminators[k], n);
    for (;;) {
        const char *hit = NULL;
        size_t pos, which = 0;
        for (k = 0; k < 3; k++)
            if (next[k] && (!hit || next[k] < hit)) {
                hit = next[k];
                which = k;
            }
        pos = hit ? (size_t)(hit - s) + 1 : n;
        if (!hit || (pos < n && is_space(s[pos]))) {
            while (start < pos && is_space(s[start]))
                start++;
            if (start < pos) {
                if (count == cap) {
                    span *p;
                    cap = cap ? cap * 2 : 1024;
                    p = realloc(spans, cap * sizeof *p);
                    if (!p)
                        die_nomem();
                    spans = p;
                }
                spans[count].start = start;
                spans[count].end = pos;
                count++;
            }
            start = pos;
        }
        if (!hit)
            break;
        next[which] = pos < n ? memchr(s + pos, terminators[which], n - pos) : NULL;
    }
    free(spans);
    return count;
}

typedef struct row {
    const char *name;
    double mb_s;
    size_t sentences;
    int ran;
} row;

/* Times the engine; best of RUNS because the question is what the code can do,
 * not what the scheduler did to it. Returns -1 when the engine refuses the input. */
static int time_engine(const char *s, size_t n, row *r)
{
    pl_document_options opts = {PL_FORMAT_TEXT, 0};
    double best = 0;
    int i;
    for (i = 0; i < RUNS; i++) {
        pl_error err;
        double t0 = now_s(), t;
        pl_document *doc = pl_document_create(s, n, &opts, &err);
        if (!doc) {
            fprintf(stderr, "text_speed: pl_document_create failed: %s (%s)\n", err.message,
                    pl_status_name(err.status));
            return -1;
        }
        r->sentences = doc->sentence_count;
        pl_document_free(doc);
        t = now_s() - t0;
        if (i == 0 || t < best)
            best = t;
    }
    r->mb_s = (double)n / (double)MB / best;
    r->ran = 1;
    return 0;
}

static void time_naive(const char *s, size_t n, row *r)
{
    double best = 0;
    int i;
    for (i = 0; i < RUNS; i++) {
        double t0 = now_s(), t;
        r->sentences = naive_segment(s, n);
        t = now_s() - t0;
        if (i == 0 || t < best)
            best = t;
    }
    r->mb_s = (double)n / (double)MB / best;
    r->ran = 1;
}

/* ripgrep reads the corpus from a file (page cache, just written), so its row
 * includes process start and reading; -j1 keeps it on one core like the rest. */
static void time_ripgrep(const char *s, size_t n, row *r, char *note, size_t note_size)
{
    char path[] = "/tmp/pl-bench-XXXXXX";
    char cmd[256];
    double best = 0;
    int fd, i;
    FILE *f;

    if (system("rg --version >/dev/null 2>&1") != 0) {
        snprintf(note, note_size, "ripgrep (rg) not found on PATH: row skipped");
        return;
    }
    fd = mkstemp(path);
    if (fd < 0 || !(f = fdopen(fd, "wb"))) {
        snprintf(note, note_size, "cannot create a temp file (%s): ripgrep row skipped",
                 strerror(errno));
        if (fd >= 0)
            close(fd);
        return;
    }
    if (fwrite(s, 1, n, f) != n || fclose(f) != 0) {
        snprintf(note, note_size, "cannot write %s: ripgrep row skipped", path);
        unlink(path);
        return;
    }
    /* The naive segmenter's rule: rg's line mode never matches the line break,
     * so `$` stands for it, and ASCII white space only (rg's `\s` would also
     * take U+00A0). */
    snprintf(cmd, sizeof cmd, "rg -j1 --no-config --count-matches '[.!?]([ \\t\\r]|$)' %s", path);
    for (i = 0; i < RUNS; i++) {
        unsigned long count = 0;
        double t0 = now_s(), t;
        FILE *p = popen(cmd, "r");
        int ok = p && fscanf(p, "%lu", &count) == 1;
        if (p && pclose(p) != 0)
            ok = 0;
        t = now_s() - t0;
        if (!ok) {
            snprintf(note, note_size, "rg failed: ripgrep row skipped");
            unlink(path);
            return;
        }
        r->sentences = (size_t)count;
        if (i == 0 || t < best)
            best = t;
    }
    unlink(path);
    r->mb_s = (double)n / (double)MB / best;
    r->ran = 1;
}

static void usage(FILE *to)
{
    fprintf(to,
            "usage: bench_text_speed [DATA_DIR] [--mb N] [--example FILE]\n"
            "  DATA_DIR  .txt files read recursively (default %s)\n"
            "  --mb N    repeat the corpus to at least N MiB (default 50)\n"
            "  --example fallback file when DATA_DIR is absent (default %s)\n",
            PL_BENCH_DATA_DIR, PL_EXAMPLES_DIR "/new-quality-productive-forces.txt");
}

int main(int argc, char **argv)
{
    const char *data_dir = PL_BENCH_DATA_DIR;
    const char *example = PL_EXAMPLES_DIR "/new-quality-productive-forces.txt";
    long want_mb = 50;
    file_list files = {NULL, 0, 0, 0};
    char corpus_name[512], note[256] = "";
    char *corpus;
    size_t len = 0, copies = 0, i;
    double rss_before, rss_after;
    row rows[3] = {{"policylink clean+segment", 0, 0, 0},
                   {"naive C segmenter", 0, 0, 0},
                   {"ripgrep -j1 --count-matches", 0, 0, 0}};

    for (i = 1; i < (size_t)argc; i++) {
        if (strcmp(argv[i], "--mb") == 0 && i + 1 < (size_t)argc) {
            char *end;
            want_mb = strtol(argv[++i], &end, 10);
            if (*end || want_mb < 1 || (size_t)want_mb * MB >= PL_DOCUMENT_MAX_INPUT) {
                fprintf(stderr, "text_speed: --mb wants 1..1023\n");
                return 2;
            }
        } else if (strcmp(argv[i], "--example") == 0 && i + 1 < (size_t)argc) {
            example = argv[++i];
        } else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (argv[i][0] != '-') {
            data_dir = argv[i];
        } else {
            usage(stderr);
            return 2;
        }
    }

    find_txt(data_dir, &files);
    if (files.count > 0) {
        /* Sorted so the corpus, and so the figures, do not depend on readdir order. */
        qsort(files.items, files.count, sizeof *files.items, compare_paths);
        snprintf(corpus_name, sizeof corpus_name, "%zu .txt files under %s", files.count, data_dir);
    } else {
        struct stat st;
        char *path = malloc(strlen(example) + 1);
        if (!path)
            die_nomem();
        strcpy(path, example);
        printf("no .txt files under %s: using the bundled example instead\n", data_dir);
        if (stat(example, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0) {
            printf("SKIP: neither %s nor %s is there\n", data_dir, example);
            free(path);
            return 0;
        }
        add_file(&files, path, (size_t)st.st_size);
        snprintf(corpus_name, sizeof corpus_name, "%s (bundled example)", example);
    }
    corpus = load_corpus(&files, (size_t)want_mb * MB, &len, &copies);
    free_files(&files);
    if (!corpus)
        return 1;
    printf("corpus: %s\n        %.2f MiB repeated %zux = %.1f MiB, taken as plain text\n",
           corpus_name, (double)len / (double)copies / (double)MB, copies,
           (double)len / (double)MB);
    printf("timing: best of %d, CLOCK_MONOTONIC, one thread; MB = MiB\n\n", RUNS);

    /* The engine runs first so that the peak RSS rise is its own, not the
     * baselines'. */
    rss_before = peak_rss_mb();
    if (time_engine(corpus, len, &rows[0]) != 0) {
        free(corpus);
        return 1;
    }
    rss_after = peak_rss_mb();
    time_naive(corpus, len, &rows[1]);
    time_ripgrep(corpus, len, &rows[2], note, sizeof note);
    free(corpus);

    printf("%-28s %9s %12s %14s\n", "name", "MB/s", "sentences", "vs policylink");
    for (i = 0; i < 3; i++) {
        if (!rows[i].ran)
            continue;
        printf("%-28s %9.1f %12zu %13.2fx\n", rows[i].name, rows[i].mb_s, rows[i].sentences,
               rows[i].mb_s / rows[0].mb_s);
    }
    if (note[0])
        printf("(%s)\n", note);
    printf("\npeak RSS %.1f MiB (corpus loaded: %.1f MiB); engine peak %.2f bytes per input "
           "byte\n",
           rss_after, rss_before, (rss_after - rss_before) * (double)MB / (double)len);
    printf("%s: policylink %.1f MB/s, target %.0f MB/s on one core\n",
           rows[0].mb_s >= TARGET_MB_S ? "PASS ≥100 MB/s" : "BELOW TARGET", rows[0].mb_s,
           TARGET_MB_S);
    return 0;
}
