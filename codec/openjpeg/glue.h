// C side of package openjpeg: an opj_stream_t over a byte buffer, message
// handlers that collect into a per-call buffer, and the copy of decoded
// components into an interleaved uint32 frame. Everything lives in one
// myv_j2k context per Decode call; nothing is global.
#ifndef MYV_OPENJPEG_GLUE_H
#define MYV_OPENJPEG_GLUE_H

#include <stddef.h>
#include <stdint.h>
#include <openjpeg.h>

#define MYV_J2K_MSG_CAP 1024

typedef struct {
	// Compressed input. It points into Go memory that the Go side pins
	// for the lifetime of this context.
	const uint8_t *data;
	size_t len;
	size_t pos;
	// hit_end is set when OpenJPEG asked for bytes past the end of data,
	// which tells a truncated codestream from a corrupt one on failure.
	int hit_end;

	// Messages from OpenJPEG, NUL-terminated, truncated at the capacity.
	char errors[MYV_J2K_MSG_CAP];
	size_t errors_len;
	char warnings[MYV_J2K_MSG_CAP];
	size_t warnings_len;

	opj_codec_t *codec;
	opj_stream_t *stream;
	opj_image_t *image;
} myv_j2k;

// myv_j2k_open creates the codec (format OPJ_CODEC_J2K or OPJ_CODEC_JP2) and
// the stream, then reads the main header into ctx->image. Returns 1 on
// success; on failure ctx->errors says why. Call myv_j2k_close in any case.
int myv_j2k_open(myv_j2k *ctx, OPJ_CODEC_FORMAT format, int threads);

// myv_j2k_decode decodes the image whose header myv_j2k_open read.
int myv_j2k_decode(myv_j2k *ctx);

// myv_j2k_copy writes the decoded components interleaved pixel by pixel into
// dst (width*height*numcomps values), each masked to its precision so that
// signed samples keep their two's complement bit pattern.
void myv_j2k_copy(const myv_j2k *ctx, uint32_t *dst);

// myv_j2k_close frees the image, codec and stream; it is safe on a
// partially opened context.
void myv_j2k_close(myv_j2k *ctx);

#endif
