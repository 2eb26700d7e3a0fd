package render

import (
	"bufio"
	"bytes"
	"fmt"
	"os/exec"
	"testing"
)

func TestColorMapAnchors(t *testing.T) {
	tests := []struct {
		name  string
		m     ColorMap
		level int
		want  [3]uint8
	}{
		// Viridis' published end and middle colours: #440154, #21918c, #fde725.
		{"viridis start", Viridis, 0, [3]uint8{0x44, 0x01, 0x54}},
		{"viridis middle", Viridis, 128, [3]uint8{0x21, 0x91, 0x8c}},
		{"viridis end", Viridis, 255, [3]uint8{0xfd, 0xe7, 0x25}},
		// Jet: v = 0 gives B = 1.5 - 1 = 0.5 → 127.5 → 128; v = 1 gives R = 0.5.
		// Level 64 is v = 64/255: B = 1.5 - |256/255 - 1| > 1 → 255, and
		// G = 1.5 - |256/255 - 2| = 256/255 - 0.5, so 255·G = 128.5 → 129.
		{"jet start", Jet, 0, [3]uint8{0, 0, 128}},
		{"jet quarter", Jet, 64, [3]uint8{0, 129, 255}},
		{"jet end", Jet, 255, [3]uint8{128, 0, 0}},
		// Hot (hot.m, m = 256, n = 96), entry i = level + 1:
		// i = 1: R = 1/96 → 255/96 = 2.66 → 3; i = 96: R = 1; i = 97: G = 1/96 → 3;
		// i = 192: G = 1; i = 193: B = 1/64 → 3.98 → 4; i = 256: white;
		// i = 16: R = 255·16/96 = 42.5 exactly, rounded up.
		{"hot first", Hot, 0, [3]uint8{3, 0, 0}},
		{"hot tie rounds up", Hot, 15, [3]uint8{43, 0, 0}},
		{"hot red full", Hot, 95, [3]uint8{255, 0, 0}},
		{"hot green starts", Hot, 96, [3]uint8{255, 3, 0}},
		{"hot yellow", Hot, 191, [3]uint8{255, 255, 0}},
		{"hot blue starts", Hot, 192, [3]uint8{255, 255, 4}},
		{"hot end", Hot, 255, [3]uint8{255, 255, 255}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.m.Table[tt.level]; got != tt.want {
				t.Errorf("%s[%d] = %v, want %v", tt.m.Name, tt.level, got, tt.want)
			}
		})
	}
}

func TestColorMapByName(t *testing.T) {
	for _, m := range ColorMaps() {
		got, ok := ColorMapByName(m.Name)
		if !ok || got != m {
			t.Errorf("ColorMapByName(%q) failed", m.Name)
		}
	}
	if m, ok := ColorMapByName("TURBO"); !ok || m.Name != "turbo" {
		t.Error("name match is not case-insensitive")
	}
	if _, ok := ColorMapByName("rainbow"); ok {
		t.Error("unknown map found")
	}
	if ColorMaps()[0].Name != "turbo" || len(ColorMaps()) != 4 {
		t.Error("ColorMaps: want turbo first, four maps")
	}
	m := Turbo
	if m.At(-1) != m.Table[0] || m.At(2) != m.Table[255] || m.At(0.5) != m.Table[128] {
		t.Error("At does not clamp and round")
	}
}

// TestTurboNearReference compares the polynomial Turbo with the original
// table (via matplotlib): a wrong coefficient moves it far more than the
// approximation's own error of up to 32 levels (mean 6.3).
func TestTurboNearReference(t *testing.T) {
	out, err := exec.Command("/usr/bin/python3", "testdata/turbo_reference.py").Output()
	if err != nil {
		t.Skipf("needs /usr/bin/python3 with matplotlib for the reference Turbo table: %v", err)
	}
	var ref [][3]int
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		var c [3]int
		if _, err := fmt.Sscan(sc.Text(), &c[0], &c[1], &c[2]); err != nil {
			t.Fatal(err)
		}
		ref = append(ref, c)
	}
	if len(ref) != 256 {
		t.Fatalf("reference has %d entries", len(ref))
	}
	worst, total := 0, 0
	for i, c := range ref {
		for k := range 3 {
			d := int(Turbo.Table[i][k]) - c[k]
			d = max(d, -d)
			worst = max(worst, d)
			total += d
		}
	}
	mean := float64(total) / (3 * 256)
	t.Logf("turbo polynomial vs table: max %d, mean %.2f levels", worst, mean)
	if worst > 32 || mean > 8 {
		t.Errorf("turbo departs from the reference by up to %d levels, mean %.2f", worst, mean)
	}
}
