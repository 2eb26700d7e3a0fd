package codectest

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"

	"github.com/myeloview/myeloview/codec"
)

// PixelHash returns the hex SHA-256 of pix written as little-endian
// uint32, each sample masked to its low maskBits bits (not masked when
// maskBits is 32 or more): what gen_expected.py computes from a pydicom
// array, whose sign extension of signed samples the mask undoes.
func PixelHash(pix []uint32, maskBits int) string {
	mask := ^uint32(0)
	if maskBits < 32 {
		mask = uint32(1)<<maskBits - 1
	}
	buf := make([]byte, 4*len(pix))
	for i, v := range pix {
		binary.LittleEndian.PutUint32(buf[4*i:], v&mask)
	}
	return SHA256(buf)
}

// ImageHash is PixelHash of img's samples, each first sign-extended from
// img.Precision when the codestream declares them signed: so it matches
// pydicom's values masked to Bits Stored even where Bits Stored exceeds
// the codestream precision.
func ImageHash(img *codec.Image, maskBits int) string {
	if !img.Signed || img.Precision < 1 || img.Precision >= 32 {
		return PixelHash(img.Pix, maskBits)
	}
	sign := uint32(1) << (img.Precision - 1)
	extend := ^(uint32(1)<<img.Precision - 1)
	pix := make([]uint32, len(img.Pix))
	for i, v := range img.Pix {
		if v&sign != 0 {
			v |= extend
		}
		pix[i] = v
	}
	return PixelHash(pix, maskBits)
}

// SHA256 returns the hex SHA-256 of b.
func SHA256(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
