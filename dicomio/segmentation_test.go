package dicomio

import (
	"context"
	"testing"

	"github.com/myeloview/myeloview/internal/shareddata"
	"github.com/myeloview/myeloview/sample"
)

// TestReadSegmentation reads the liver segmentation of pydicom-data
// (written by dcmqi from 3D Slicer): one segment, "Liver", in Slicer's
// liver colour, three frames each deriving from a CT slice of one series.
func TestReadSegmentation(t *testing.T) {
	for _, name := range []string{"liver.dcm", "liver_nonbyte_aligned.dcm", "liver_rle.dcm"} {
		t.Run(name, func(t *testing.T) {
			inst, err := OpenFile(shareddata.File(t, "pydicom-data/"+name))
			if err != nil {
				t.Fatal(err)
			}
			sg := inst.Segmentation
			if sg == nil || sg.Type != "BINARY" || len(sg.Segments) != 1 || sg.Segments[0].Number != 1 || sg.Segments[0].Label != "Liver" {
				t.Fatalf("segmentation %+v", sg)
			}
			// Slicer's liver is sRGB (221, 130, 101); dcmqi stored it as
			// CIELab, its white point not quite the PCS's D50 (217 here).
			want := [3]int{221, 130, 101}
			for i, c := range sg.Segments[0].Colour {
				if d := int(c) - want[i]; d < -5 || d > 5 || !sg.Segments[0].HasColour {
					t.Errorf("colour %v, want about %v", sg.Segments[0].Colour, want)
					break
				}
			}
			if len(sg.FrameSegment) != inst.Pixel.NumberOfFrames || len(sg.FrameSources) != inst.Pixel.NumberOfFrames {
				t.Fatalf("%d frame segments, %d sources for %d frames", len(sg.FrameSegment), len(sg.FrameSources), inst.Pixel.NumberOfFrames)
			}
			for i := range sg.FrameSegment {
				if src := sg.FrameSources[i]; sg.FrameSegment[i] != 1 || len(src) != 1 || src[0].SOPInstanceUID == "" || src[0].Frame > 1 {
					t.Errorf("frame %d: segment %d, sources %+v", i, sg.FrameSegment[i], src)
				}
			}
			if c := sg.Segments[0].Type; !c.Is(Code{"T-62000", "SRT", ""}) || c.Meaning != "Liver" || sg.Segments[0].Category.Meaning != "Tissue" {
				t.Errorf("segment codes %+v, %+v", sg.Segments[0].Category, sg.Segments[0].Type)
			}
			if len(sg.ReferencedSeries) != 1 || sg.ReferencedSeries[0] != "1.2.392.200103.20080913.113635.1.2009.6.22.21.43.10.23430.1" {
				t.Errorf("referenced series %v", sg.ReferencedSeries)
			}
			f, err := inst.ReadFrame(1)
			if err != nil {
				t.Fatal(err)
			}
			set := 0
			for i := range f.Rows * f.Cols {
				if v := f.Stored(i); v == 1 {
					set++
				} else if v != 0 {
					t.Fatalf("stored value %d in a binary segmentation", v)
				}
			}
			if set == 0 {
				t.Error("frame 2 of the liver is empty")
			}
		})
	}
	ct, err := OpenFile(shareddata.File(t, "ct-kits/CT2.dcm"))
	if err != nil {
		t.Fatal(err)
	}
	if ct.Segmentation != nil {
		t.Errorf("a CT image read as a segmentation")
	}
}

func TestDICOMLabToSRGB(t *testing.T) {
	tests := []struct {
		name    string
		l, a, b int
		want    [3]uint8
	}{
		{"white", 65535, 32896, 32896, [3]uint8{255, 255, 255}}, // a* = b* = 0 at 128·65535/255
		{"black", 0, 32896, 32896, [3]uint8{0, 0, 0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := dicomLabToSRGB(tc.l, tc.a, tc.b)
			for i := range got {
				if d := int(got[i]) - int(tc.want[i]); d < -1 || d > 1 {
					t.Errorf("%v, want %v", got, tc.want)
					break
				}
			}
		})
	}
}

// TestSegmentationFrames places a segmentation's frames on a sample
// series: by the slice each derives from, else by position in the same
// frame of reference, and not at all when neither holds or the size
// differs.
func TestSegmentationFrames(t *testing.T) {
	dir := t.TempDir()
	if _, err := sample.Write(dir, sample.Options{Slices: 16, Size: 64, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	cat, err := Scan(context.Background(), []string{dir}, ScanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s := cat.AllSeries()[0]
	pos := func(k int, dz float64) [3]float64 {
		p := s.Frames[k].Info().Position
		n := s.Geometry.Normal.Normalized()
		return [3]float64{p[0] + dz*n[0], p[1] + dz*n[1], p[2] + dz*n[2]}
	}
	half := s.Geometry.SliceSpacing / 2
	// outward: from slice 0 away from slice 1, along the normal
	outward := -1.0
	if p0, p1 := s.Frames[0].Info().Position, s.Frames[1].Info().Position; Vec3(p0).Sub(Vec3(p1)).Dot(s.Geometry.Normal) > 0 {
		outward = 1
	}
	sp := s.Frames[0].Info().PixelSpacing
	across := func(k int, pixels float64) [3]float64 { // pos(k, 0) moved along the rows
		p, r := pos(k, 0), s.Geometry.RowDir.Normalized()
		return [3]float64{p[0] + pixels*sp[1]*r[0], p[1] + pixels*sp[1]*r[1], p[2] + pixels*sp[1]*r[2]}
	}
	seg := func(frameOfReference string) *Instance {
		return &Instance{
			Pixel:            PixelInfo{Rows: 64, Columns: 64},
			FrameOfReference: frameOfReference,
			Frames: []FrameInfo{
				{}, // 0: derives from slice 5, frame 1
				{Position: pos(7, 0.9*half), HasPosition: true, PixelSpacing: sp},         // 1: near slice 7
				{Position: pos(0, outward*1.2*half), HasPosition: true, PixelSpacing: sp}, // 2: beyond slice 0 by more than half a spacing
				{}, // 3: derives from an unknown image, no position
				{}, // 4: derives from slice 6, no frame named (a single-frame instance)
				{Position: across(9, 0.4), HasPosition: true, PixelSpacing: sp},                       // 5: slice 9, 0.4 pixel across
				{Position: across(10, 1), HasPosition: true, PixelSpacing: sp},                        // 6: a pixel across slice 10: another grid
				{Position: pos(11, 0), HasPosition: true, PixelSpacing: [2]float64{sp[0] * 2, sp[1]}}, // 7: slice 11's plane, other pixels
			},
			Segmentation: &Segmentation{FrameSources: [][]SourceFrame{
				{{s.Frames[5].Instance.SOPInstanceUID, 1}}, nil, nil, {{"1.2.3.4", 1}}, {{"1.2.3.4", 0}, {s.Frames[6].Instance.SOPInstanceUID, 0}},
			}},
		}
	}
	tests := []struct {
		name string
		seg  *Instance
		want map[int][]int
	}{
		{"same frame of reference", seg(s.Frames[0].Instance.FrameOfReference), map[int][]int{5: {0}, 6: {4}, 7: {1}, 9: {5}}},
		{"another frame of reference", seg("1.2.3"), map[int][]int{5: {0}, 6: {4}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := s.SegmentationFrames(tc.seg)
			if len(got) != len(tc.want) {
				t.Fatalf("%v, want %v", got, tc.want)
			}
			for k, fs := range tc.want {
				if len(got[k]) != len(fs) || got[k][0] != fs[0] {
					t.Errorf("slice %d: frames %v, want %v", k, got[k], fs)
				}
			}
		})
	}
	other := seg(s.Frames[0].Instance.FrameOfReference)
	other.Pixel.Rows = 32
	if got := s.SegmentationFrames(other); len(got) != 0 {
		t.Errorf("frames of another size placed: %v", got)
	}
}
