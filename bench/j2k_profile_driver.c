/* j2k_profile_driver.c: decodes raw JPEG 2000 codestreams (one file per
 * frame) REPS times with OpenJPEG on one thread and prints the mean time per
 * frame. Built by bench/j2k_profile.sh against the system library and
 * against Debian's source of the same version; with -DMYV_COUNT it also
 * prints the MQ decisions per coding pass, counted by the patched source.
 * Not part of the app. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openjpeg.h>

#ifdef MYV_COUNT
unsigned long myv_symbols[3];
int myv_pass;
#endif

struct input { unsigned char *data; size_t size, offset; };

static OPJ_SIZE_T read_fn(void *dst, OPJ_SIZE_T n, void *user) {
    struct input *in = user;
    if (in->offset >= in->size) return (OPJ_SIZE_T)-1;
    if (n > in->size - in->offset) n = in->size - in->offset;
    memcpy(dst, in->data + in->offset, n);
    in->offset += n;
    return n;
}
static OPJ_OFF_T skip_fn(OPJ_OFF_T n, void *user) { ((struct input *)user)->offset += n; return n; }
static OPJ_BOOL seek_fn(OPJ_OFF_T n, void *user) { ((struct input *)user)->offset = n; return OPJ_TRUE; }

static int decode(struct input in) {
    opj_stream_t *s = opj_stream_default_create(OPJ_TRUE);
    opj_stream_set_user_data(s, &in, NULL);
    opj_stream_set_user_data_length(s, in.size);
    opj_stream_set_read_function(s, read_fn);
    opj_stream_set_skip_function(s, skip_fn);
    opj_stream_set_seek_function(s, seek_fn);
    opj_codec_t *c = opj_create_decompress(OPJ_CODEC_J2K);
    opj_dparameters_t p;
    opj_set_default_decoder_parameters(&p);
    opj_image_t *im = NULL;
    int ok = opj_setup_decoder(c, &p) && opj_read_header(s, c, &im) && opj_decode(c, s, im);
    opj_image_destroy(im);
    opj_destroy_codec(c);
    opj_stream_destroy(s);
    return ok;
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: %s REPS FRAME.j2k...\n", argv[0]); return 2; }
    int reps = atoi(argv[1]), frames = argc - 2;
    struct input *in = calloc(frames, sizeof *in);
    for (int i = 0; i < frames; i++) {
        FILE *f = fopen(argv[i + 2], "rb");
        if (!f) { perror(argv[i + 2]); return 1; }
        fseek(f, 0, SEEK_END);
        in[i].size = ftell(f);
        rewind(f);
        in[i].data = malloc(in[i].size);
        if (fread(in[i].data, 1, in[i].size, f) != in[i].size) { fprintf(stderr, "%s: short read\n", argv[i + 2]); return 1; }
        fclose(f);
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int r = 0; r < reps; r++)
        for (int i = 0; i < frames; i++)
            if (!decode(in[i])) { fprintf(stderr, "%s: decode failed\n", argv[i + 2]); return 1; }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
    printf("%.2f ms/frame\n", ms / (reps * frames));
#ifdef MYV_COUNT
    static const char *names[3] = {"significance propagation", "magnitude refinement", "cleanup"};
    for (int k = 0; k < 3; k++)
        printf("MQ decisions per frame, %s pass: %lu\n", names[k], myv_symbols[k] / (reps * frames));
#endif
    return 0;
}
