#include <string.h>
#include "glue.h"

static void append_message(char *buf, size_t *len, const char *msg) {
	size_t room = MYV_J2K_MSG_CAP - 1 - *len;
	size_t n = strlen(msg);
	if (n > room) {
		n = room;
	}
	memcpy(buf + *len, msg, n);
	*len += n;
	buf[*len] = '\0';
}

static void on_error(const char *msg, void *client_data) {
	myv_j2k *ctx = client_data;
	append_message(ctx->errors, &ctx->errors_len, msg);
}

static void on_warning(const char *msg, void *client_data) {
	myv_j2k *ctx = client_data;
	append_message(ctx->warnings, &ctx->warnings_len, msg);
}

static void on_info(const char *msg, void *client_data) {
	(void)msg;
	(void)client_data;
}

// Stream callbacks over ctx->data. A read past the end returns
// (OPJ_SIZE_T)-1, OpenJPEG's end-of-stream signal.
static OPJ_SIZE_T stream_read(void *buffer, OPJ_SIZE_T n, void *user_data) {
	myv_j2k *ctx = user_data;
	if (ctx->pos >= ctx->len) {
		ctx->hit_end = 1;
		return (OPJ_SIZE_T)-1;
	}
	size_t left = ctx->len - ctx->pos;
	if (n > left) {
		n = left;
	}
	memcpy(buffer, ctx->data + ctx->pos, n);
	ctx->pos += n;
	return n;
}

static OPJ_OFF_T stream_skip(OPJ_OFF_T n, void *user_data) {
	myv_j2k *ctx = user_data;
	if (n < 0) {
		if ((size_t)(-n) > ctx->pos) {
			return -1;
		}
		ctx->pos -= (size_t)(-n);
		return n;
	}
	size_t left = ctx->len - (ctx->pos < ctx->len ? ctx->pos : ctx->len);
	if ((OPJ_UINT64)n > left) {
		// Skipping past the end is an error: the data is all here.
		ctx->pos = ctx->len;
		ctx->hit_end = 1;
		return -1;
	}
	ctx->pos += (size_t)n;
	return n;
}

static OPJ_BOOL stream_seek(OPJ_OFF_T offset, void *user_data) {
	myv_j2k *ctx = user_data;
	if (offset < 0) {
		return OPJ_FALSE;
	}
	if ((OPJ_UINT64)offset > ctx->len) {
		ctx->hit_end = 1;
		return OPJ_FALSE;
	}
	ctx->pos = (size_t)offset;
	return OPJ_TRUE;
}

int myv_j2k_open(myv_j2k *ctx, OPJ_CODEC_FORMAT format, int threads) {
	ctx->codec = opj_create_decompress(format);
	if (ctx->codec == NULL) {
		append_message(ctx->errors, &ctx->errors_len, "opj_create_decompress failed");
		return 0;
	}
	opj_set_error_handler(ctx->codec, on_error, ctx);
	opj_set_warning_handler(ctx->codec, on_warning, ctx);
	opj_set_info_handler(ctx->codec, on_info, ctx);

	opj_dparameters_t params;
	opj_set_default_decoder_parameters(&params);
	if (!opj_setup_decoder(ctx->codec, &params)) {
		return 0;
	}
	// Partial codestreams fail instead of decoding as far as they go.
	if (!opj_decoder_set_strict_mode(ctx->codec, OPJ_TRUE)) {
		return 0;
	}
	if (opj_has_thread_support() && !opj_codec_set_threads(ctx->codec, threads)) {
		return 0;
	}

	OPJ_SIZE_T chunk = ctx->len < OPJ_J2K_STREAM_CHUNK_SIZE ? ctx->len : OPJ_J2K_STREAM_CHUNK_SIZE;
	if (chunk < 4096) {
		chunk = 4096;
	}
	ctx->stream = opj_stream_create(chunk, OPJ_TRUE);
	if (ctx->stream == NULL) {
		append_message(ctx->errors, &ctx->errors_len, "opj_stream_create failed");
		return 0;
	}
	opj_stream_set_user_data(ctx->stream, ctx, NULL);
	opj_stream_set_user_data_length(ctx->stream, ctx->len);
	opj_stream_set_read_function(ctx->stream, stream_read);
	opj_stream_set_skip_function(ctx->stream, stream_skip);
	opj_stream_set_seek_function(ctx->stream, stream_seek);

	return opj_read_header(ctx->stream, ctx->codec, &ctx->image) ? 1 : 0;
}

int myv_j2k_decode(myv_j2k *ctx) {
	if (!opj_decode(ctx->codec, ctx->stream, ctx->image)) {
		return 0;
	}
	return opj_end_decompress(ctx->codec, ctx->stream) ? 1 : 0;
}

void myv_j2k_copy(const myv_j2k *ctx, uint32_t *dst) {
	const opj_image_t *image = ctx->image;
	const size_t n = image->numcomps;
	const size_t pixels = (size_t)image->comps[0].w * image->comps[0].h;
	for (size_t c = 0; c < n; c++) {
		const opj_image_comp_t *comp = &image->comps[c];
		const uint32_t mask = comp->prec >= 32 ? 0xFFFFFFFFu : (uint32_t)((1ull << comp->prec) - 1);
		const OPJ_INT32 *src = comp->data;
		uint32_t *out = dst + c;
		if (n == 1) {
			for (size_t i = 0; i < pixels; i++) {
				out[i] = (uint32_t)src[i] & mask;
			}
			continue;
		}
		for (size_t i = 0; i < pixels; i++) {
			out[i * n] = (uint32_t)src[i] & mask;
		}
	}
}

void myv_j2k_close(myv_j2k *ctx) {
	if (ctx->image != NULL) {
		opj_image_destroy(ctx->image);
		ctx->image = NULL;
	}
	if (ctx->codec != NULL) {
		opj_destroy_codec(ctx->codec);
		ctx->codec = NULL;
	}
	if (ctx->stream != NULL) {
		opj_stream_destroy(ctx->stream);
		ctx->stream = NULL;
	}
}
