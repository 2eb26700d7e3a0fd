#include <stdint.h>
typedef struct t1fast t1fast_t;
t1fast_t *t1fast_new(void);
void t1fast_free(t1fast_t *);
int t1fast_decode(t1fast_t *t, const uint8_t *data, const uint32_t *seglen, const uint32_t *segpasses,
                  int nsegs, int w, int h, int orient, int numbps, int cblksty, int32_t *out);
