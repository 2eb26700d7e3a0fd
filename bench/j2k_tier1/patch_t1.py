"""patch_t1.py T1_C MODE: patches a copy of OpenJPEG 2.5's t1.c for
bench/j2k_tier1.sh.

dump:    every decoded code-block is appended to the file named by MYV_DUMP:
         width, height, band, ROI shift, bit-planes (numbps), code-block
         style, segment count, then per segment its length and pass count,
         the concatenated segment bytes, and the decoded t1->data
         (width x height int32, OpenJPEG's representation), all little-endian.
wrapper: adds myv_opj_decode(), which runs opj_t1_decode_cblk on one dumped
         code-block, so that harness.c times OpenJPEG's tier-1 and ours on
         the same blocks in one process.
"""
import sys

DUMP = r'''    {
        static FILE *myv_dump = NULL;
        static int myv_tried = 0;
        if (!myv_tried) { const char *p = getenv("MYV_DUMP"); myv_tried = 1; if (p) myv_dump = fopen(p, "wb"); }
        if (myv_dump) {
            OPJ_UINT32 hdr[7], k, tot = 0;
            hdr[0] = (OPJ_UINT32)(cblk->x1 - cblk->x0); hdr[1] = (OPJ_UINT32)(cblk->y1 - cblk->y0);
            hdr[2] = orient; hdr[3] = roishift; hdr[4] = cblk->numbps; hdr[5] = cblksty; hdr[6] = cblk->real_num_segs;
            fwrite(hdr, 4, 7, myv_dump);
            for (k = 0; k < cblk->real_num_segs; k++) {
                OPJ_UINT32 s2[2]; s2[0] = cblk->segs[k].len; s2[1] = cblk->segs[k].real_num_passes;
                fwrite(s2, 4, 2, myv_dump); tot += s2[0];
            }
            fwrite(&tot, 4, 1, myv_dump);
            for (k = 0; k < cblk->numchunks && tot > 0; k++) {
                OPJ_UINT32 n = cblk->chunks[k].len < tot ? cblk->chunks[k].len : tot;
                fwrite(cblk->chunks[k].data, 1, n, myv_dump); tot -= n;
            }
            for (; tot > 0; tot--) fputc(0, myv_dump); /* chunks shorter than the segments: keep the record's length */
            fwrite(t1->data, 4, hdr[0] * hdr[1], myv_dump);
        }
    }
'''

WRAPPER = r'''
int myv_opj_decode(unsigned char *data, unsigned len, const unsigned *seglen, const unsigned *segpasses,
                   unsigned nsegs, unsigned w, unsigned h, unsigned orient, unsigned numbps,
                   unsigned cblksty, int *out)
{
    static opj_t1_t *t1;
    opj_tcd_cblk_dec_t cblk;
    opj_tcd_seg_t segs[64];
    opj_tcd_seg_data_chunk_t chunk;
    opj_event_mgr_t mgr;
    unsigned k;
    if (nsegs > 64) return 0;
    if (!t1) t1 = opj_t1_create(OPJ_FALSE);
    memset(&cblk, 0, sizeof cblk);
    memset(segs, 0, sizeof segs);
    memset(&mgr, 0, sizeof mgr);
    for (k = 0; k < nsegs; k++) { segs[k].len = seglen[k]; segs[k].real_num_passes = segpasses[k]; segs[k].numpasses = segpasses[k]; }
    chunk.data = data; chunk.len = len;
    cblk.segs = segs; cblk.chunks = &chunk; cblk.numchunks = 1;
    cblk.x1 = (OPJ_INT32)w; cblk.y1 = (OPJ_INT32)h; cblk.numbps = numbps; cblk.real_num_segs = nsegs;
    t1->mustuse_cblkdatabuffer = OPJ_FALSE;
    if (!opj_t1_decode_cblk(t1, &cblk, orient, 0, cblksty, &mgr, NULL, OPJ_FALSE)) return 0;
    if (out) memcpy(out, t1->data, sizeof(int) * w * h);
    return 1;
}
'''

path, mode = sys.argv[1], sys.argv[2]
src = open(path).read()
if mode == "dump":
    anchor = "    if (check_pterm) {\n        if (mqc->bp + 2 < mqc->end) {"
    if src.count(anchor) != 1:
        sys.exit("patch_t1.py: the check_pterm block of opj_t1_decode_cblk not found once")
    src = src.replace(anchor, DUMP + anchor)
elif mode == "wrapper":
    src += WRAPPER
else:
    sys.exit("patch_t1.py: mode is dump or wrapper")
open(path, "w").write(src)
