/* harness.c: reads the code-blocks bench/j2k_tier1.sh dumped from
 * OpenJPEG's decode of the 20-slice CT, checks that t1fast decodes every
 * one to OpenJPEG's own output, then times both decoders over all blocks,
 * alternated, REPS times, and prints the best of each in ms per slice.
 * Usage: harness BLOCKS.bin REPS. Exit 1 when any block differs. Not part of
 * the app. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "t1fast.h"

int myv_opj_decode(unsigned char *data, unsigned len, const unsigned *seglen, const unsigned *segpasses,
                   unsigned nsegs, unsigned w, unsigned h, unsigned orient, unsigned numbps,
                   unsigned cblksty, int *out);

enum { MAX_SEGS = 64, MAX_AREA = 4096, SLICES = 20 };

typedef struct {
    uint32_t w, h, orient, roishift, numbps, style, nsegs;
    uint32_t seglen[MAX_SEGS], segpasses[MAX_SEGS];
    uint32_t len;
    uint8_t *data;
    const uint8_t *want; /* w x h little-endian int32, OpenJPEG's output */
} block;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int need(long have, long want, const char *what) {
    if (have < want) { fprintf(stderr, "harness: dump truncated in %s\n", what); exit(1); }
    return 1;
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: %s BLOCKS.bin REPS\n", argv[0]); return 2; }
    FILE *f = fopen(argv[1], "rb");
    if (!f) { perror(argv[1]); return 1; }
    long n = -1;
    if (fseek(f, 0, SEEK_END) == 0) n = ftell(f);
    rewind(f);
    uint8_t *buf = n > 0 ? malloc(n) : NULL;
    if (!buf || fread(buf, 1, n, f) != (size_t)n) { fprintf(stderr, "harness: %s is empty or unreadable\n", argv[1]); return 1; }
    fclose(f);
    int reps = atoi(argv[2]);
    if (reps < 1) { fprintf(stderr, "harness: REPS must be a positive number\n"); return 2; }

    int cap = 4096, nb = 0;
    block *b = malloc(cap * sizeof *b);
    for (long o = 0; o < n;) {
        if (nb == cap && !(b = realloc(b, (cap *= 2) * sizeof *b))) { fprintf(stderr, "harness: out of memory\n"); return 1; }
        block *k = &b[nb++];
        need(n - o, 28, "a header");
        memcpy(k, buf + o, 28);
        o += 28;
        if (k->nsegs > MAX_SEGS || k->w > MAX_AREA || k->h > MAX_AREA || k->w * k->h > MAX_AREA || k->orient > 3) {
            fprintf(stderr, "harness: block %d out of range\n", nb - 1);
            return 1;
        }
        need(n - o, 8L * k->nsegs + 4, "segments");
        for (uint32_t s = 0; s < k->nsegs; s++, o += 8) {
            memcpy(&k->seglen[s], buf + o, 4);
            memcpy(&k->segpasses[s], buf + o + 4, 4);
        }
        memcpy(&k->len, buf + o, 4);
        o += 4;
        need(n - o, (long)k->len + 4L * k->w * k->h, "data");
        k->data = calloc(k->len + 64, 1); /* OpenJPEG writes an end marker past the data */
        memcpy(k->data, buf + o, k->len);
        o += k->len;
        k->want = buf + o;
        o += 4L * k->w * k->h;
    }

    t1fast_t *t = t1fast_new();
    int32_t *out = malloc(4 * MAX_AREA), *ref = malloc(4 * MAX_AREA);
    int differ = 0, unsupported = 0;
    for (int i = 0; i < nb; i++) {
        block *k = &b[i];
        size_t bytes = 4 * (size_t)k->w * k->h;
        if (k->roishift != 0) { unsupported++; continue; } /* ROI shift: neither decoder here applies it */
        int rc = t1fast_decode(t, k->data, k->seglen, k->segpasses, k->nsegs, k->w, k->h, k->orient, k->numbps, k->style, out);
        if (rc == -2) { unsupported++; continue; }
        if (!myv_opj_decode(k->data, k->len, k->seglen, k->segpasses, k->nsegs, k->w, k->h, k->orient, k->numbps, k->style, ref) ||
            memcmp(ref, k->want, bytes)) {
            fprintf(stderr, "harness: block %d: OpenJPEG's wrapper does not reproduce the dump\n", i);
            return 1;
        }
        if (rc != 0 || memcmp(out, k->want, bytes)) {
            if (differ < 5) printf("block %d (%ux%u, band %u, %u bit-planes) differs (rc %d)\n", i, k->w, k->h, k->orient, k->numbps, rc);
            differ++;
        }
    }
    printf("%d code-blocks: %d decoded differently from OpenJPEG, %d in a style t1fast does not support\n", nb, differ, unsupported);
    if (nb == 0) { fprintf(stderr, "harness: no code-blocks in the dump\n"); return 1; }
    if (differ || unsupported) return 1;

    double best_fast = 1e9, best_opj = 1e9;
    for (int rep = 0; rep < reps; rep++) {
        double t0 = now();
        for (int i = 0; i < nb; i++) {
            block *k = &b[i];
            t1fast_decode(t, k->data, k->seglen, k->segpasses, k->nsegs, k->w, k->h, k->orient, k->numbps, k->style, out);
        }
        double t1 = now();
        for (int i = 0; i < nb; i++) {
            block *k = &b[i];
            myv_opj_decode(k->data, k->len, k->seglen, k->segpasses, k->nsegs, k->w, k->h, k->orient, k->numbps, k->style, ref);
        }
        double t2 = now();
        if (t1 - t0 < best_fast) best_fast = t1 - t0;
        if (t2 - t1 < best_opj) best_opj = t2 - t1;
    }
    printf("tier-1 only, best of %d: t1fast %.2f ms/slice, OpenJPEG %.2f ms/slice, OpenJPEG/t1fast %.2fx\n",
           reps, best_fast * 1000 / SLICES, best_opj * 1000 / SLICES, best_opj / best_fast);
    t1fast_free(t);
    return 0;
}
