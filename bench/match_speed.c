/* Speed and memory of the linker core (pl_matcher_*) on about 50 MB of news
 * notes and a 10,000-phrase glossary, side by side with ripgrep and a naive
 * per-term scan on the same bytes, so each figure has a yardstick. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "match.h"

#ifndef PL_BENCH_DATA_DIR
#define PL_BENCH_DATA_DIR "../shared/data/bbc-news/articles"
#endif
#ifndef PL_BENCH_SCRIPT
#define PL_BENCH_SCRIPT "bench/make_match_corpus.py"
#endif

#define MB ((size_t)1 << 20) /* MiB: the rates never flatter the engine */
/* Best of 5 for ripgrep. The matcher, its portable scan and the floor run
 * in ROUNDS rounds, one run of each per round, best of the rounds: side by
 * side in time too, since on a shared machine a busy neighbour slows
 * everything for seconds at a time (the matcher, which keeps its tables in
 * the caches the neighbour shares, most of all). */
#define RUNS 5
#define ROUNDS 7
#define TARGET_MB_S 300.0
#define NAIVE_SLICE MB /* the naive scan is too slow for the whole corpus */

typedef struct blob {
    char *data;
    size_t len;
} blob;

typedef struct row {
    const char *name;
    double mb_s;
    size_t matches;
    double seconds;
    int ran;
    const char *note;
    double round_s[ROUNDS]; /* each round's time, for the rows run in rounds */
} row;

/* Records one run of bytes in t seconds: the best so far is the row's. */
static void row_run(row *r, size_t bytes, double t)
{
    if (r->ran < ROUNDS)
        r->round_s[r->ran] = t;
    if (!r->ran || t < r->seconds) {
        r->seconds = t;
        r->mb_s = (double)bytes / (double)MB / t;
    }
    r->ran++;
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double peak_rss_mib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0; /* Linux: KiB */
}

static int read_file(const char *path, blob *b)
{
    FILE *f = fopen(path, "rb");
    long size;
    if (!f)
        return -1;
    if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return -1;
    }
    b->data = malloc((size_t)size + 1);
    if (!b->data || fread(b->data, 1, (size_t)size, f) != (size_t)size) {
        fclose(f);
        free(b->data);
        return -1;
    }
    fclose(f);
    b->data[size] = '\0';
    b->len = (size_t)size;
    return 0;
}

/* One spec per line of a terms file, all case-insensitive (the same job as
 * rg -i -w). The specs point into b. */
static pl_term_spec *read_terms(blob *b, size_t *count)
{
    size_t n = 0, cap = 1024, pos = 0;
    pl_term_spec *specs = malloc(cap * sizeof *specs);
    while (specs && pos < b->len) {
        char *nl = memchr(b->data + pos, '\n', b->len - pos);
        size_t end = nl ? (size_t)(nl - b->data) : b->len;
        if (end > pos) {
            if (n == cap) {
                pl_term_spec *p = realloc(specs, (cap *= 2) * sizeof *specs);
                if (!p) {
                    free(specs);
                    return NULL;
                }
                specs = p;
            }
            specs[n].text = b->data + pos;
            specs[n].len = end - pos;
            specs[n].id = (uint32_t)n;
            specs[n].case_policy = PL_CASE_INSENSITIVE;
            n++;
        }
        pos = end + 1;
    }
    *count = n;
    return specs;
}

static pl_matcher *build(const pl_term_spec *specs, size_t n)
{
    pl_error err;
    pl_matcher *m = pl_matcher_create(specs, n, &err);
    if (!m)
        fprintf(stderr, "match_speed: pl_matcher_create: %s\n", err.message);
    return m;
}

/* One run of the full job, note by note, default options (every
 * occurrence, Markdown awareness on, headings linked). */
static int time_matcher(const pl_matcher *m, const blob *corpus, const size_t *notes,
                        size_t note_count, int portable, pl_match_list *list, row *r)
{
    pl_match_options opts;
    double t0 = now_s();
    size_t k, total = 0;
    memset(&opts, 0, sizeof opts);
    opts.portable_scan = portable;
    for (k = 0; k < note_count; k++) {
        size_t start = notes[k], end = k + 1 < note_count ? notes[k + 1] : corpus->len;
        pl_match_list_reset(list);
        if (pl_matcher_match(m, corpus->data + start, end - start, &opts, list, NULL) != PL_OK)
            return -1;
        total += list->count;
    }
    row_run(r, corpus->len, now_s() - t0);
    r->matches = total;
    return 0;
}

/* The floor: find every ASCII word and hash it, nothing else. What any
 * word-based matcher pays before it looks anything up. */
static void time_floor(const blob *corpus, row *r)
{
    const unsigned char *u = (const unsigned char *)corpus->data;
    size_t n = corpus->len, i = 0, words = 0;
    double t0 = now_s();
    uint64_t h = 0;
    while (i < n) {
        if (((u[i] | 0x20) >= 'a' && (u[i] | 0x20) <= 'z') || (u[i] >= '0' && u[i] <= '9')) {
            uint64_t x = 0;
            while (i < n &&
                   (((u[i] | 0x20) >= 'a' && (u[i] | 0x20) <= 'z') || (u[i] >= '0' && u[i] <= '9')))
                x = x * 31 + (u[i++] | 0x20);
            h ^= x * 0x9E3779B97F4A7C15u;
            words++;
        } else {
            i++;
        }
    }
    row_run(r, n, now_s() - t0);
    r->matches = words + (h == 42); /* keeps the hash alive */
    r->note = "words found, not matches";
}

static int naive_word(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c >= 0x80;
}

/* What editor plugins do today: lowercase the note, then for every term find
 * each occurrence and check the characters around it. No Markdown, no
 * longest-match resolution (overlaps all count). */
static size_t naive_scan(const char *s, size_t n, char **terms, const size_t *lens, size_t count)
{
    char *low = malloc(n + 1);
    size_t k, i, found = 0;
    if (!low)
        return 0;
    for (i = 0; i < n; i++)
        low[i] = (char)((unsigned)(s[i] - 'A') < 26u ? s[i] + 32 : s[i]);
    for (k = 0; k < count; k++) {
        size_t len = lens[k];
        const char *p = low, *end = low + n;
        while (len && (size_t)(end - p) >= len) {
            const char *hit = memchr(p, terms[k][0], (size_t)(end - p) - len + 1);
            if (!hit)
                break;
            if (memcmp(hit, terms[k], len) == 0 &&
                (hit == low || !naive_word((unsigned char)hit[-1])) &&
                (hit + len == end || !naive_word((unsigned char)hit[len])))
                found++;
            p = hit + 1;
        }
    }
    free(low);
    return found;
}

static void time_naive(const blob *corpus, const pl_term_spec *specs, size_t count, row *r)
{
    size_t slice = corpus->len < NAIVE_SLICE ? corpus->len : NAIVE_SLICE, k, j;
    char **terms = malloc(count * sizeof *terms);
    size_t *lens = malloc(count * sizeof *lens);
    double t0, t;
    if (!terms || !lens) {
        free(terms);
        free(lens);
        return;
    }
    for (k = 0; k < count; k++) {
        terms[k] = malloc(specs[k].len + 1);
        lens[k] = specs[k].len;
        if (!terms[k])
            lens[k] = 0;
        else
            for (j = 0; j < specs[k].len; j++)
                terms[k][j] =
                    (char)((unsigned)(specs[k].text[j] - 'A') < 26u ? specs[k].text[j] + 32
                                                                    : specs[k].text[j]);
    }
    t0 = now_s();
    r->matches = naive_scan(corpus->data, slice, terms, lens, count);
    t = now_s() - t0;
    r->seconds = t;
    r->mb_s = (double)slice / (double)MB / t;
    r->ran = 1;
    r->note = "first 1 MiB only";
    for (k = 0; k < count; k++)
        free(terms[k]);
    free(terms);
    free(lens);
}

/* ripgrep on the corpus file; -o prints one line per match, counted here.
 * The time includes starting rg and reading the file (from the page cache). */
static void time_ripgrep(const char *flags, const char *terms, const char *corpus, size_t len,
                         int runs, row *r)
{
    char cmd[2048];
    double best = 0;
    int run;
    snprintf(cmd, sizeof cmd, "rg -j1 --no-config %s -f '%s' '%s'", flags, terms, corpus);
    for (run = 0; run < runs; run++) {
        char buf[65536];
        size_t got, lines = 0, i;
        double t0 = now_s(), t;
        FILE *p = popen(cmd, "r");
        if (!p) {
            r->note = "cannot run rg";
            return;
        }
        while ((got = fread(buf, 1, sizeof buf, p)) > 0)
            for (i = 0; i < got; i++)
                lines += buf[i] == '\n';
        if (pclose(p) != 0) {
            r->note = "rg failed";
            return;
        }
        t = now_s() - t0;
        r->matches = lines;
        if (run == 0 || t < best)
            best = t;
    }
    r->seconds = best;
    r->mb_s = (double)len / (double)MB / best;
    r->ran = 1;
}

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
}

static void usage(FILE *to)
{
    fprintf(to,
            "usage: bench_match_speed [DATA_DIR] [--mb N] [--work DIR] [--no-slow]\n"
            "  DATA_DIR   BBC articles, .txt files read recursively (default %s)\n"
            "  --mb N     corpus size in MiB (default 50)\n"
            "  --work DIR where %s writes the corpus and glossaries\n"
            "             (default /tmp/policylink-match-bench-<N>mb; reused when present)\n"
            "  --no-slow  skip rg -F -i -w (about two minutes)\n",
            PL_BENCH_DATA_DIR, PL_BENCH_SCRIPT);
}

int main(int argc, char **argv)
{
    const char *data_dir = PL_BENCH_DATA_DIR, *work = NULL;
    char work_buf[512], corpus_path[600], idx_path[600], terms_path[600], big_path[600];
    char cmd[2048], articles[600];
    long mb = 50;
    int slow = 1, i;
    blob corpus = {NULL, 0}, idx = {NULL, 0}, terms = {NULL, 0}, big = {NULL, 0};
    pl_term_spec *specs, *big_specs;
    size_t count, big_count, note_count = 0, k, pos;
    size_t *notes;
    pl_matcher *m;
    double t0, build_best = 0, rss0, rss1, big_build;
    size_t big_memory;
    row rows[6] = {{"policylink match (full job)", 0, 0, 0, 0, NULL, {0}},
                   {"  the same, portable scan", 0, 0, 0, 0, NULL, {0}},
                   {"rg -F -o (case, no boundaries)", 0, 0, 0, 0, NULL, {0}},
                   {"rg -F -i -w -o", 0, 0, 0, 0, NULL, {0}},
                   {"naive per-term scan", 0, 0, 0, 0, NULL, {0}},
                   {"floor: scan + hash every word", 0, 0, 0, 0, NULL, {0}}};

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--mb") == 0 && i + 1 < argc) {
            char *end;
            mb = strtol(argv[++i], &end, 10);
            if (*end || mb < 1 || mb > 4096) {
                fprintf(stderr, "match_speed: --mb wants 1..4096\n");
                return 2;
            }
        } else if (strcmp(argv[i], "--work") == 0 && i + 1 < argc) {
            work = argv[++i];
        } else if (strcmp(argv[i], "--no-slow") == 0) {
            slow = 0;
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
    /* The dataset's root or its articles/ folder both do. */
    snprintf(articles, sizeof articles, "%s/articles", data_dir);
    if (is_dir(articles))
        data_dir = articles;
    if (!is_dir(data_dir)) {
        printf("SKIP: %s is not there (the BBC articles are not shipped with policylink)\n",
               data_dir);
        return 0;
    }
    if (!work) {
        snprintf(work_buf, sizeof work_buf, "/tmp/policylink-match-bench-%ldmb", mb);
        work = work_buf;
    }
    snprintf(corpus_path, sizeof corpus_path, "%s/corpus.txt", work);
    snprintf(idx_path, sizeof idx_path, "%s/corpus.idx", work);
    snprintf(terms_path, sizeof terms_path, "%s/terms.txt", work);
    snprintf(big_path, sizeof big_path, "%s/terms_big.txt", work);
    if (!is_file(corpus_path) || !is_file(idx_path) || !is_file(terms_path) || !is_file(big_path)) {
        snprintf(cmd, sizeof cmd, "python3 '%s' '%s' '%s' --mb %ld", PL_BENCH_SCRIPT, data_dir,
                 work, mb);
        if (system(cmd) != 0) {
            printf("SKIP: could not generate the corpus (%s)\n", cmd);
            return 0;
        }
    }
    if (read_file(big_path, &big) != 0 || read_file(terms_path, &terms) != 0) {
        fprintf(stderr, "match_speed: cannot read the glossaries in %s: %s\n", work,
                strerror(errno));
        return 1;
    }

    /* Memory first, while the process is small, so the peak RSS rise is the
     * build's own. */
    big_specs = read_terms(&big, &big_count);
    specs = read_terms(&terms, &count);
    if (!big_specs || !specs)
        return 1;
    rss0 = peak_rss_mib();
    t0 = now_s();
    m = build(big_specs, big_count);
    big_build = now_s() - t0;
    rss1 = peak_rss_mib();
    if (!m)
        return 1;
    big_memory = pl_matcher_memory(m);
    pl_matcher_free(m);
    for (i = 0; i < 5; i++) {
        double t;
        t0 = now_s();
        m = build(specs, count);
        t = now_s() - t0;
        if (!m)
            return 1;
        if (i == 0 || t < build_best)
            build_best = t;
        if (i < 4)
            pl_matcher_free(m);
    }

    if (read_file(corpus_path, &corpus) != 0 || read_file(idx_path, &idx) != 0) {
        fprintf(stderr, "match_speed: cannot read %s: %s\n", corpus_path, strerror(errno));
        return 1;
    }
    notes = malloc((idx.len / 2 + 1) * sizeof *notes);
    if (!notes)
        return 1;
    for (pos = 0; pos < idx.len;) {
        char *end;
        notes[note_count++] = (size_t)strtoull(idx.data + pos, &end, 10);
        pos = (size_t)(end - idx.data) + 1;
    }
    printf("corpus: %s, %.1f MiB in %zu notes (%s)\n", corpus_path, (double)corpus.len / MB,
           note_count, data_dir);
    printf("glossary: %zu phrases (%s), all case-insensitive\n", count, terms_path);
    printf("timing: best of %d rounds (policylink, floor) or of %d runs (rg), CLOCK_MONOTONIC, "
           "one thread; MB = MiB\n\n",
           ROUNDS, RUNS);

    printf("word scan: %s\n\n", pl_matcher_scan_name(m));
    {
        pl_match_list list = PL_MATCH_LIST_INIT;
        int round, failed = 0;
        for (round = 0; round < ROUNDS && !failed; round++) {
            failed = time_matcher(m, &corpus, notes, note_count, 0, &list, &rows[0]) != 0 ||
                     time_matcher(m, &corpus, notes, note_count, 1, &list, &rows[1]) != 0;
            time_floor(&corpus, &rows[5]);
        }
        pl_match_list_free(&list);
        if (failed) {
            fprintf(stderr, "match_speed: pl_matcher_match failed\n");
            return 1;
        }
    }
    if (system("rg --version >/dev/null 2>&1") == 0) {
        time_ripgrep("-F -o", terms_path, corpus_path, corpus.len, RUNS, &rows[2]);
        if (slow)
            time_ripgrep("-F -i -w -o", terms_path, corpus_path, corpus.len, 1, &rows[3]);
        else
            rows[3].note = "skipped (--no-slow)";
    } else {
        rows[2].note = rows[3].note = "rg not on PATH";
    }
    {
        blob slice = {corpus.data, corpus.len};
        time_naive(&slice, specs, count, &rows[4]);
    }

    printf("%-32s %9s %10s %10s %14s\n", "name", "MB/s", "seconds", "matches", "vs policylink");
    for (k = 0; k < 6; k++) {
        if (!rows[k].ran) {
            printf("%-32s %s\n", rows[k].name, rows[k].note ? rows[k].note : "not run");
            continue;
        }
        printf("%-32s %9.1f %10.3f %10zu %13.3fx%s%s\n", rows[k].name, rows[k].mb_s,
               rows[k].seconds, rows[k].matches, rows[k].mb_s / rows[0].mb_s,
               rows[k].note ? "  " : "", rows[k].note ? rows[k].note : "");
    }
    {
        double sorted[ROUNDS];
        memcpy(sorted, rows[0].round_s, sizeof sorted);
        qsort(sorted, ROUNDS, sizeof *sorted, compare_double);
        printf("\nfull job over the %d rounds: best %.1f, median %.1f, slowest %.1f MB/s\n", ROUNDS,
               (double)corpus.len / MB / sorted[0], (double)corpus.len / MB / sorted[ROUNDS / 2],
               (double)corpus.len / MB / sorted[ROUNDS - 1]);
    }
    printf("build, %zu terms: %.1f ms (best of 5); matcher %.1f MiB\n", count, build_best * 1e3,
           (double)pl_matcher_memory(m) / MB);
    printf("build, %zu terms: %.1f ms; matcher %.1f MiB; peak RSS rise while building %.1f "
           "MiB\n",
           big_count, big_build * 1e3, (double)big_memory / MB, rss1 - rss0);
    printf("%s >=%.0f MB/s, build %s 50 ms, 100k terms %s 64 MiB\n",
           rows[0].mb_s >= TARGET_MB_S ? "PASS" : "BELOW TARGET", TARGET_MB_S,
           build_best < 0.05 ? "<" : ">=", rss1 - rss0 < 64 && big_memory < 64 * MB ? "<" : ">=");
    pl_matcher_free(m);
    free(notes);
    free(corpus.data);
    free(idx.data);
    free(specs);
    free(big_specs);
    free(terms.data);
    free(big.data);
    return 0;
}
