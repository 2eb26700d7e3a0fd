package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/myeloview/myeloview/sample"
)

// phantoms reads "seed slices size" jobs from stdin and exports each.
func phantoms(args []string) error {
	fs := flag.NewFlagSet("phantoms", flag.ContinueOnError)
	out := fs.String("out", "", "output folder")
	dicom := fs.Bool("dicom", false, "write DICOM series (sample.Write) instead of hu.npy")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return fmt.Errorf("phantoms: -out is required")
	}
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var o sample.Options
		f := strings.Fields(line)
		if len(f) < 3 || len(f) > 6 {
			return fmt.Errorf("phantoms: job %q: want \"seed slices size [breach_fraction [texture_hu [hiatus 0|1]]]\"", line)
		}
		if _, err := fmt.Sscan(strings.Join(f[:3], " "), &o.Seed, &o.Slices, &o.Size); err != nil {
			return fmt.Errorf("phantoms: job %q: %v", line, err)
		}
		name := fmt.Sprintf("%d_%d_%d", o.Seed, o.Slices, o.Size)
		if len(f) >= 4 {
			if _, err := fmt.Sscan(f[3], &o.BreachFraction); err != nil {
				return fmt.Errorf("phantoms: job %q: %v", line, err)
			}
			name += "_b" + f[3]
		}
		if len(f) >= 5 {
			if _, err := fmt.Sscan(f[4], &o.TextureHU); err != nil {
				return fmt.Errorf("phantoms: job %q: %v", line, err)
			}
			name += "_t" + f[4]
		}
		if len(f) == 6 {
			switch f[5] {
			case "0":
			case "1":
				o.SacralHiatus = true
				name += "_h"
			default:
				return fmt.Errorf("phantoms: job %q: hiatus must be 0 or 1", line)
			}
		}
		dir := filepath.Join(*out, name)
		if _, err := os.Stat(filepath.Join(dir, "done")); err == nil {
			continue
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		vol, gt, err := sample.Generate(o)
		if err != nil {
			return err
		}
		shape := []int{vol.Slices, vol.Rows, vol.Cols}
		if *dicom {
			if _, err := sample.Write(dir, o); err != nil {
				return err
			}
		} else {
			if err := writeNPY(filepath.Join(dir, "hu.npy"), shape, vol.HU); err != nil {
				return err
			}
			js, _ := json.MarshalIndent(gt, "", "  ")
			if err := os.WriteFile(filepath.Join(dir, "ground_truth.json"), js, 0o644); err != nil {
				return err
			}
		}
		if err := writeNPY(filepath.Join(dir, "mask.npy"), shape, vol.LesionMask); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, "done"), nil, 0o644); err != nil {
			return err
		}
		fmt.Println(dir)
	}
	return sc.Err()
}
