/* t1fast.c: an independent JPEG 2000 tier-1 (EBCOT) code-block decoder,
 * written from ITU-T T.800 | ISO/IEC 15444-1 Annex D (coding passes) and
 * Annex C (MQ decoder), for bench/j2k_tier1.sh: is a tier-1 decoder much
 * faster than OpenJPEG 2.5's within reach? Not part of the app.
 *
 * What it tries, against OpenJPEG's branchy decoder:
 *  - a branch-free MQ decision (C.3.2): both outcomes computed, the result
 *    selected with masks, renormalisation by a count of leading zeros in
 *    one step, bits read from a stream unstuffed beforehand (C.3.4);
 *  - the refinement pass's three contexts kept in registers;
 *  - rows to visit found with bit tricks on the column's flag word instead
 *    of a test per row;
 *  - a branch for the common case only where the context is skewed (the
 *    cleanup pass's run-length context).
 * Output is OpenJPEG's t1->data (twice the value, with its half-step
 * reconstruction) so that the two are compared block for block.
 * Supported: code-block style 0 (no bypass, reset, termination, causal or
 * segmentation-symbol mode), which the 20-slice CT uses; other styles
 * return -2. Single-threaded; a t1fast_t is not safe for concurrent use. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "t1fast.h"

/* Table C.2: Qe, NMPS, NLPS, SWITCH. */
static const uint16_t qe_of[47] = {
    0x5601, 0x3401, 0x1801, 0x0AC1, 0x0521, 0x0221, 0x5601, 0x5401, 0x4801, 0x3801,
    0x3001, 0x2401, 0x1C01, 0x1601, 0x5601, 0x5401, 0x5101, 0x4801, 0x3801, 0x3401,
    0x3001, 0x2801, 0x2401, 0x2201, 0x1C01, 0x1801, 0x1601, 0x1401, 0x1201, 0x1101,
    0x0AC1, 0x09C1, 0x08A1, 0x0521, 0x0441, 0x02A1, 0x0221, 0x0141, 0x0111, 0x0085,
    0x0049, 0x0025, 0x0015, 0x0009, 0x0005, 0x0001, 0x5601};
static const uint8_t nmps_of[47] = {
    1, 2, 3, 4, 5, 38, 7, 8, 9, 10, 11, 12, 13, 29, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
    25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 45, 46};
static const uint8_t nlps_of[47] = {
    1, 6, 9, 12, 29, 33, 6, 14, 14, 14, 17, 18, 20, 21, 14, 14, 15, 16, 17, 18, 19, 19, 20, 21,
    22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 46};
static const uint8_t switch_of[47] = {1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1};

/* A context's state is one byte, 2 x index + MPS. next_state[4*s + k]:
 * k = 0 no renormalisation (unchanged), 1 MPS after renormalisation,
 * 2 LPS. */
/* state_tab[s]: bits 0..15 Qe, then next state for k = 0..3 in bytes 2..5 */
static uint64_t state_tab[94];

/* Contexts (OpenJPEG's numbering, so the initial states match). */
enum { CTX_ZC = 0, CTX_SC = 9, CTX_MAG = 14, CTX_AGG = 17, CTX_UNI = 18, NUM_CTX = 19 };

/* Flags: one 32-bit word per stripe column.
 *  bits 0..17  significance of rows -1..4 (3 per row) x columns x-1, x, x+1
 *  bits 18..23 sign of rows -1..4 of this column
 *  bits 24..27 "visited in this bit-plane's significance pass", rows 0..3
 *  bits 28..31 "refined before", rows 0..3 */
#define SIG(r) (1u << (3 * (r) + 4))
#define CHI(r) (1u << (18 + (r) + 1))
#define PI(r) (1u << (24 + (r)))
#define MU(r) (1u << (28 + (r)))

static uint8_t zc_tab[4][512];
/* sign context: index bits 0 sigN 1 chiN 2 sigS 3 chiS 4 sigW 5 chiW 6 sigE 7 chiE;
 * value: context | xor << 7 */
static uint8_t sc_tab[256];

static int initialised;

static void init_tables(void) {
    for (int s = 0; s < 94; s++) {
        int i = s >> 1, mps = s & 1;
        uint64_t e = qe_of[i];
        e |= (uint64_t)s << 16;
        e |= (uint64_t)(2 * nmps_of[i] + mps) << 24;
        e |= (uint64_t)(2 * nlps_of[i] + (mps ^ switch_of[i])) << 32;
        e |= (uint64_t)s << 40;
        state_tab[s] = e;
    }
    for (int orient = 0; orient < 4; orient++) {
        for (int nb = 0; nb < 512; nb++) {
            /* nb bit (row*3 + col), rows 0..2 = north..south, cols 0..2 = west..east */
            int h = ((nb >> 3) & 1) + ((nb >> 5) & 1);
            int v = ((nb >> 1) & 1) + ((nb >> 7) & 1);
            int d = (nb & 1) + ((nb >> 2) & 1) + ((nb >> 6) & 1) + ((nb >> 8) & 1);
            int ctx;
            if (orient == 1) { int t = h; h = v; v = t; } /* HL: horizontally high-pass */
            if (orient == 3) {
                int hv = h + v;
                if (d >= 3) ctx = 8;
                else if (d == 2) ctx = hv >= 1 ? 7 : 6;
                else if (d == 1) ctx = hv >= 2 ? 5 : hv == 1 ? 4 : 3;
                else ctx = hv >= 2 ? 2 : hv == 1 ? 1 : 0;
            } else {
                if (h == 2) ctx = 8;
                else if (h == 1) ctx = v >= 1 ? 7 : d >= 1 ? 6 : 5;
                else if (v == 2) ctx = 4;
                else if (v == 1) ctx = 3;
                else ctx = d >= 2 ? 2 : d == 1 ? 1 : 0;
            }
            zc_tab[orient][nb] = (uint8_t)(CTX_ZC + ctx);
        }
    }
    for (int i = 0; i < 256; i++) {
        int c[4];
        for (int k = 0; k < 4; k++) {
            int sig = (i >> (2 * k)) & 1, chi = (i >> (2 * k + 1)) & 1;
            c[k] = sig ? (chi ? -1 : 1) : 0;
        }
        int v = c[0] + c[1], h = c[2] + c[3];
        v = v > 1 ? 1 : v < -1 ? -1 : v;
        h = h > 1 ? 1 : h < -1 ? -1 : h;
        int ctx, x;
        if (h == 1) { x = 0; ctx = v == 1 ? 13 : v == 0 ? 12 : 11; }
        else if (h == 0) { x = v == -1; ctx = v == 0 ? 9 : 10; }
        else { x = 1; ctx = v == 1 ? 11 : v == 0 ? 12 : 13; }
        sc_tab[i] = (uint8_t)(ctx | (x << 7));
    }
    initialised = 1;
}

/* The MQ decoder. c holds the code register with Chigh in bits 48..63 and
 * ct further bits below it; bits come from a pre-unstuffed bit stream. */
typedef struct {
    uint64_t c;
    uint32_t a;
    int ct;
    const uint8_t *bits; /* unstuffed stream, 1-padded */
    size_t nbytes;       /* bytes valid in bits (padding included) */
    size_t pos;          /* next bit to load */
} mq_t;

static inline uint64_t load_bits(const mq_t *m) {
    size_t b = m->pos >> 3;
    if (b + 8 > m->nbytes) return ~(uint64_t)0;
    const uint8_t *p = m->bits + b;
    uint64_t w = ((uint64_t)p[0] << 56) | ((uint64_t)p[1] << 48) | ((uint64_t)p[2] << 40) |
                 ((uint64_t)p[3] << 32) | ((uint64_t)p[4] << 24) | ((uint64_t)p[5] << 16) |
                 ((uint64_t)p[6] << 8) | (uint64_t)p[7];
    return w << (m->pos & 7);
}

/* Unstuffs one terminated segment (C.3.4 BYTEIN, as OpenJPEG reads it: a
 * byte after 0xFF adds 7 bits, one bit higher; 0xFF then a byte above 0x8F,
 * or the end, gives 1-bits for ever). out must hold 8*len/8 + 24 bytes. */
static size_t unstuff(const uint8_t *in, size_t len, uint8_t *out) {
    uint64_t acc = 0; /* pending bits, right-aligned */
    int nacc = 0;
    size_t o = 0;
    unsigned prev = 0;
    size_t i = 0;
    for (; i < len; i++) {
        unsigned b = in[i];
        if (prev == 0xFF) {
            if (b > 0x8F) break;
            if (b & 0x80) { /* overlapping add: carry into the bits already out */
                acc += 1;
                if (acc >> nacc) { /* carry past the pending bits */
                    acc &= ((uint64_t)1 << nacc) - 1;
                    size_t k = o;
                    while (k > 0 && out[k - 1] == 0xFF) out[--k] = 0;
                    if (k > 0) out[k - 1]++;
                }
            }
            acc = (acc << 7) | (b & 0x7F);
            nacc += 7;
        } else {
            acc = (acc << 8) | b;
            nacc += 8;
        }
        prev = b;
        if ((i & 3) == 3) { /* at least 28 bits pending: write 3 bytes */
            out[o] = (uint8_t)(acc >> (nacc - 8));
            out[o + 1] = (uint8_t)(acc >> (nacc - 16));
            out[o + 2] = (uint8_t)(acc >> (nacc - 24));
            o += 3;
            nacc -= 24;
            if (nacc >= 8) { nacc -= 8; out[o++] = (uint8_t)(acc >> nacc); }
            acc &= ((uint64_t)1 << nacc) - 1;
        }
    }
    /* ones for ever after */
    while (nacc >= 8) { nacc -= 8; out[o++] = (uint8_t)(acc >> nacc); }
    if (nacc) out[o++] = (uint8_t)((acc << (8 - nacc)) | (0xFFu >> nacc));
    memset(out + o, 0xFF, 16);
    return o + 16;
}

static void mq_init(mq_t *m, const uint8_t *bits, size_t nbytes) {
    m->bits = bits;
    m->nbytes = nbytes;
    m->pos = 0;
    /* first stream bit at bit 62 (OpenJPEG's c << 7 after the first two bytes) */
    uint64_t w = load_bits(m);
    m->c = (w >> 24) << 23;  /* 40 bits at 62..23 */
    m->pos = 40;
    m->ct = 25;
    m->a = 0x8000;
}

#define MQ_LOCALS(m) uint64_t c = (m)->c; uint32_t a = (m)->a; int ct = (m)->ct
#define MQ_STORE(m) (m)->c = c, (m)->a = a, (m)->ct = ct

/* MQ_DECODE_S: decodes with the context state in a register variable s
 * (0..93), updated in place. */
#define MQ_DECODE_S(d, m, s)                                                     \
    do {                                                                         \
        uint64_t e_ = state_tab[(s)];                                            \
        uint32_t qe_ = (uint32_t)e_ & 0xFFFF;                                    \
        a -= qe_;                                                                \
        uint32_t lower_ = (uint32_t)(c >> 48) < qe_;                             \
        uint32_t small_ = a < qe_;                                               \
        uint32_t x_ = lower_ ^ small_;                                           \
        (d) = ((s) & 1) ^ x_;                                                    \
        uint32_t ren_ = lower_ | (a < 0x8000);                                   \
        c -= ((uint64_t)qe_ << 48) & ((uint64_t)lower_ - 1);                     \
        a ^= (a ^ qe_) & (0u - lower_);                                          \
        (s) = (uint8_t)(e_ >> (16 + 8 * (ren_ + x_)));                           \
        int n_ = __builtin_clz(a) - 16;                                          \
        a <<= n_;                                                                \
        c <<= n_;                                                                \
        ct -= n_;                                                                \
        if (ct < 16) {                                                           \
            uint64_t w_ = load_bits(m);                                          \
            c |= (w_ >> 32) << (16 - ct);                                        \
            ct += 32;                                                            \
            (m)->pos += 32;                                                      \
        }                                                                        \
    } while (0)

/* MQ_DECODE: the same, with the context state at ctxp. */
#define MQ_DECODE(d, m, ctxp)                                                    \
    do {                                                                         \
        uint32_t cs_ = *(ctxp);                                                  \
        MQ_DECODE_S(d, m, cs_);                                                  \
        *(ctxp) = (uint8_t)cs_;                                                  \
    } while (0)

/* MQ_DECODE_HY: a branch for the common case (MPS, no renormalisation),
 * the branch-free decoder otherwise; for skewed contexts, whose common
 * case the CPU predicts. */
#define MQ_DECODE_HY(d, m, ctxp)                                                 \
    do {                                                                         \
        uint32_t hs_ = *(ctxp);                                                  \
        uint32_t hq_ = (uint32_t)state_tab[hs_] & 0xFFFF;                        \
        if ((uint32_t)(c >> 48) >= hq_ && a - hq_ >= 0x8000) {                   \
            a -= hq_;                                                            \
            c -= (uint64_t)hq_ << 48;                                            \
            (d) = hs_ & 1;                                                       \
        } else {                                                                 \
            MQ_DECODE(d, m, ctxp);                                               \
        }                                                                        \
    } while (0)

struct t1fast {
    uint32_t *flags;
    uint8_t *bits;
    size_t bits_cap;
    int fcap;
};

t1fast_t *t1fast_new(void) {
    if (!initialised) init_tables();
    return calloc(1, sizeof(t1fast_t));
}

void t1fast_free(t1fast_t *t) {
    if (!t) return;
    free(t->flags);
    free(t->bits);
    free(t);
}

/* Marks (r, column word fp) significant with sign s (1 negative). Rows 0
 * and 3 also mark the stripes above and below; the others write zeros
 * there, without a branch. */
static inline void set_sig(uint32_t *fp, uint32_t *f, int r, uint32_t s, int fs) {
    *f |= SIG(r) | (s << (18 + r + 1));
    fp[-1] |= 1u << (3 * r + 5);
    fp[1] |= 1u << (3 * r + 3);
    uint32_t top = 0u - (uint32_t)(r == 0), bot = 0u - (uint32_t)(r == 3);
    uint32_t *n = fp - fs, *p = fp + fs;
    n[-1] |= (1u << 17) & top;
    n[0] |= ((1u << 16) | (s << 23)) & top;
    n[1] |= (1u << 15) & top;
    p[-1] |= (1u << 2) & bot;
    p[0] |= ((1u << 1) | (s << 18)) & bot;
    p[1] |= 1u & bot;
}

static inline uint32_t sign_index(uint32_t f, uint32_t fw, uint32_t fe, int r) {
    uint32_t i = 0;
    i |= (f >> (3 * r + 1)) & 1;               /* sig N: row r-1, col 1 */
    i |= ((f >> (18 + r)) & 1) << 1;           /* chi N */
    i |= ((f >> (3 * r + 7)) & 1) << 2;        /* sig S */
    i |= ((f >> (18 + r + 2)) & 1) << 3;       /* chi S */
    i |= ((f >> (3 * r + 3)) & 1) << 4;        /* sig W */
    i |= ((fw >> (18 + r + 1)) & 1) << 5;      /* chi W */
    i |= ((f >> (3 * r + 5)) & 1) << 6;        /* sig E */
    i |= ((fe >> (18 + r + 1)) & 1) << 7;      /* chi E */
    return i;
}

typedef struct {
    uint32_t *flags;
    int32_t *data;
    int w, h, fs, stripes;
    const uint8_t *zc;
    uint8_t ctx[NUM_CTX];
} blk_t;

#define NOINL __attribute__((noinline))

/* Rows of a column word that the significance pass visits: insignificant,
 * with a significant neighbour; bit 3r for row r. */
static inline uint32_t sig_candidates(uint32_t f) {
    uint32_t t = f & 0x3FFFF;
    uint32_t cols = t | (t >> 1) | (t >> 2);
    uint32_t rows = cols | (cols >> 3) | (cols >> 6);
    return rows & ~(t >> 4) & 0x249;
}

/* BECOME_SIGNIFICANT: row r of column word f (at fp) has just become
 * significant: decode its sign (D.3.2), set its value and flags. */
#define BECOME_SIGNIFICANT(r)                                                    \
    do {                                                                         \
        uint32_t sc_ = sc_tab[sign_index(f, fp[-1], fp[1], (r))], s_;           \
        MQ_DECODE(s_, m, &ctx[sc_ & 0x7F]);                                      \
        s_ ^= sc_ >> 7;                                                          \
        d0[(r) * w + x] = s_ ? -oph : oph;                                       \
        set_sig(fp, &f, (r), s_, fs);                                            \
    } while (0)

static NOINL void pass_sig(blk_t *B, mq_t *m, int bpno) {
    int32_t one = 1 << bpno, half = one >> 1, oph = one | half;
    int w = B->w, h = B->h, fs = B->fs;
    uint32_t *frow = B->flags + fs + 1;
    const uint8_t *zc = B->zc;
    uint8_t *ctx = B->ctx;
    MQ_LOCALS(m);
    for (int k = 0; k < B->stripes; k++, frow += fs) {
        int rows = h - 4 * k < 4 ? h - 4 * k : 4;
        uint32_t rowmask = 0x249u & ((1u << (3 * rows)) - 1);
        int32_t *d0 = B->data + 4 * k * w;
        for (int x = 0; x < w; x++) {
            uint32_t *fp = frow + x;
            uint32_t f = *fp;
            uint32_t cand = sig_candidates(f) & rowmask;
            if (!cand) continue;
            do {
                int r3 = __builtin_ctz(cand);
                int r = r3 / 3;
                uint32_t v;
                MQ_DECODE(v, m, &ctx[zc[(f >> r3) & 0x1FF]]);
                f |= PI(r);
                if (v) {
                    BECOME_SIGNIFICANT(r);
                    cand = sig_candidates(f) & rowmask & (~1u << r3);
                } else {
                    cand &= cand - 1;
                }
            } while (cand);
            *fp = f;
        }
    }
    MQ_STORE(m);
}

/* REF_STEP: refines row r of the column word f (the registers s0, s1, s2
 * hold the three refinement contexts). */
#define REF_STEP(r)                                                              \
    {                                                                            \
        uint32_t mu = (f >> (28 + (r))) & 1;                                     \
        uint32_t nz = ((f >> (3 * (r))) & 0x1EF) != 0;                           \
        uint32_t m2 = 0u - mu, m1 = ~m2 & (0u - nz), m0 = ~m2 & ~m1;             \
        uint32_t s = (s2 & m2) | (s1 & m1) | (s0 & m0);                          \
        uint32_t v;                                                              \
        MQ_DECODE_S(v, m, s);                                                    \
        s2 = (s2 & ~m2) | (s & m2);                                              \
        s1 = (s1 & ~m1) | (s & m1);                                              \
        s0 = (s0 & ~m0) | (s & m0);                                              \
        int32_t *q = &d0[(r) * w + x];                                           \
        int32_t neg = *q >> 31;                                                  \
        int32_t dlt = ((int32_t)(v << 1) - 1) * half;                            \
        *q += (dlt ^ neg) - neg;                                                 \
    }

static NOINL void pass_ref(blk_t *B, mq_t *m, int bpno) {
    int32_t half = (1 << bpno) >> 1;
    int w = B->w, h = B->h, fs = B->fs;
    uint32_t *frow = B->flags + fs + 1;
    uint8_t *ctx = B->ctx;
    uint32_t s0 = ctx[CTX_MAG], s1 = ctx[CTX_MAG + 1], s2 = ctx[CTX_MAG + 2];
    MQ_LOCALS(m);
    for (int k = 0; k < B->stripes; k++, frow += fs) {
        int rows = h - 4 * k < 4 ? h - 4 * k : 4;
        uint32_t rowmask = 0x249u & ((1u << (3 * rows)) - 1);
        int32_t *d0 = B->data + 4 * k * w;
        for (int x = 0; x < w; x++) {
            uint32_t *fp = frow + x;
            uint32_t f = *fp;
            /* significant rows (bit 3r) not visited by this bit-plane's significance pass */
            uint32_t pi3 = ((f >> 24) & 1) | ((f >> 22) & 8) | ((f >> 20) & 0x40) | ((f >> 18) & 0x200);
            uint32_t cand = (f >> 4) & ~pi3 & rowmask;
            if (!cand) continue;
            if (cand == 0x249) {
                REF_STEP(0) REF_STEP(1) REF_STEP(2) REF_STEP(3)
                *fp = f | MU(0) | MU(1) | MU(2) | MU(3);
                continue;
            }
            do {
                int r = __builtin_ctz(cand) / 3;
                REF_STEP(r)
                f |= MU(r);
                cand &= cand - 1;
            } while (cand);
            *fp = f;
        }
    }
    ctx[CTX_MAG] = (uint8_t)s0; ctx[CTX_MAG + 1] = (uint8_t)s1; ctx[CTX_MAG + 2] = (uint8_t)s2;
    MQ_STORE(m);
}

static NOINL void pass_cln(blk_t *B, mq_t *m, int bpno) {
    int32_t one = 1 << bpno, half = one >> 1, oph = one | half;
    int w = B->w, h = B->h, fs = B->fs;
    uint32_t *frow = B->flags + fs + 1;
    const uint8_t *zc = B->zc;
    uint8_t *ctx = B->ctx;
    MQ_LOCALS(m);
    for (int k = 0; k < B->stripes; k++, frow += fs) {
        int rows = h - 4 * k < 4 ? h - 4 * k : 4;
        int32_t *d0 = B->data + 4 * k * w;
        for (int x = 0; x < w; x++) {
            uint32_t *fp = frow + x;
            uint32_t f = *fp;
            int r = 0;
            if (rows == 4 && f == 0) {
                uint32_t v;
                MQ_DECODE_HY(v, m, &ctx[CTX_AGG]);
                if (!v) continue;
                uint32_t r1, r2;
                MQ_DECODE(r1, m, &ctx[CTX_UNI]);
                MQ_DECODE(r2, m, &ctx[CTX_UNI]);
                r = (int)((r1 << 1) | r2);
                goto significant;
            }
            for (; r < rows; r++) {
                if (f & (SIG(r) | PI(r))) continue;
                {
                    uint32_t v;
                    MQ_DECODE(v, m, &ctx[zc[(f >> (3 * r)) & 0x1FF]]);
                    if (!v) continue;
                }
            significant: {
                    BECOME_SIGNIFICANT(r);
                }
            }
            *fp = f & ~(PI(0) | PI(1) | PI(2) | PI(3));
        }
    }
    MQ_STORE(m);
}

int t1fast_decode(t1fast_t *t, const uint8_t *data, const uint32_t *seglen, const uint32_t *segpasses,
                  int nsegs, int w, int h, int orient, int numbps, int cblksty, int32_t *out) {
    if (w <= 0 || h <= 0 || w > 1024 || h > 1024 || w * h > 4096) return -1;
    if (cblksty != 0) return -2; /* not yet */
    if (numbps >= 31) return -1;
    blk_t B;
    B.w = w; B.h = h;
    B.stripes = (h + 3) >> 2;
    B.fs = w + 2;
    int fn = B.fs * (B.stripes + 2);
    if (fn > t->fcap) { free(t->flags); t->flags = malloc(sizeof(uint32_t) * fn); t->fcap = fn; }
    memset(t->flags, 0, sizeof(uint32_t) * fn);
    B.flags = t->flags;
    B.data = out;
    memset(out, 0, sizeof(int32_t) * w * h);
    memset(B.ctx, 0, sizeof B.ctx);
    B.ctx[CTX_UNI] = 2 * 46;
    B.ctx[CTX_AGG] = 2 * 3;
    B.ctx[CTX_ZC] = 2 * 4;
    B.zc = zc_tab[orient];
    int bpno = numbps; /* OpenJPEG's bpno_plus_one */
    int passtype = 2;
    size_t off = 0;
    mq_t m;
    for (int seg = 0; seg < nsegs; seg++) {
        size_t need = seglen[seg] + 24;
        if (need > t->bits_cap) { free(t->bits); t->bits = malloc(need); t->bits_cap = need; }
        size_t nb = unstuff(data + off, seglen[seg], t->bits);
        off += seglen[seg];
        mq_init(&m, t->bits, nb);
        for (uint32_t p = 0; p < segpasses[seg] && bpno >= 1; p++) {
            if (passtype == 0) pass_sig(&B, &m, bpno);
            else if (passtype == 1) pass_ref(&B, &m, bpno);
            else pass_cln(&B, &m, bpno);
            if (++passtype == 3) { passtype = 0; bpno--; }
        }
    }
    return 0;
}
