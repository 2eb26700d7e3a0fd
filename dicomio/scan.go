package dicomio

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Catalog is what a scan found: Patient → Study → Series, and the files
// that could not be read.
type Catalog struct {
	Patients []*PatientGroup
	// Errors lists unreadable files, each naming the file and the problem.
	Errors []*FileError
	// Skipped counts files in scanned folders that are not DICOM images
	// (other files, reports, presentation states), ignored quietly.
	Skipped int
}

// PatientGroup is one patient's studies. Patient holds PHI.
type PatientGroup struct {
	Patient Patient
	Studies []*Study
}

// Study groups series by Study Instance UID.
type Study struct {
	UID, Date, Time, Description, AccessionNumber string
	Series                                        []*Series
}

// AllSeries lists every series in catalog order.
func (c *Catalog) AllSeries() []*Series {
	var out []*Series
	for _, p := range c.Patients {
		for _, st := range p.Studies {
			out = append(out, st.Series...)
		}
	}
	return out
}

// ScanOptions tune Scan.
type ScanOptions struct {
	// Progress, if set, is called from scanning goroutines (serialised)
	// with the number of files read so far and the total found.
	Progress func(done, total int)
}

// Scan reads the headers of the given files, folders (recursively) and
// DICOMDIRs, in parallel, and groups the images into series. Unreadable
// files become Catalog.Errors; the rest still opens. The returned error is
// only ever ctx.Err().
func Scan(ctx context.Context, paths []string, opt ScanOptions) (*Catalog, error) {
	cat := &Catalog{}
	files, explicit := collectFiles(paths, cat)
	instances := make([]*Instance, len(files))
	errs := make([]error, len(files))

	var mu sync.Mutex
	done := 0
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				instances[i], errs[i] = OpenFile(files[i])
				if opt.Progress != nil {
					mu.Lock()
					done++
					opt.Progress(done, len(files))
					mu.Unlock()
				}
			}
		}()
	}
feed:
	for i := range files {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	var images []*Instance
	for i, in := range instances {
		switch err := errs[i]; {
		case err == nil && in.HasPixels():
			images = append(images, in)
		case err == nil:
			cat.Skipped++ // no image: a report, a presentation state, a DICOMDIR
		case errors.Is(err, ErrNotDICOM) && !explicit[files[i]]:
			cat.Skipped++
		default:
			var fe *FileError
			if !errors.As(err, &fe) {
				fe = &FileError{Path: files[i], Err: err}
			}
			cat.Errors = append(cat.Errors, fe)
		}
	}
	cat.group(dedupe(images))
	return cat, nil
}

// collectFiles expands folders and DICOMDIRs into file paths, in a stable
// order, without duplicates. explicit marks files named on the command line.
func collectFiles(paths []string, cat *Catalog) (files []string, explicit map[string]bool) {
	seen := map[string]bool{}
	explicit = map[string]bool{}
	add := func(p string) {
		p = filepath.Clean(p)
		if !seen[p] {
			seen[p] = true
			files = append(files, p)
		}
	}
	for _, root := range paths {
		st, err := os.Stat(root)
		if err != nil {
			cat.Errors = append(cat.Errors, &FileError{Path: root, Err: err})
			continue
		}
		if !st.IsDir() {
			if isDICOMDIRName(root) {
				refs, err := readDICOMDIR(root)
				if err != nil {
					cat.Errors = append(cat.Errors, &FileError{Path: root, Err: err})
				}
				for _, r := range refs {
					add(r)
				}
				continue
			}
			explicit[filepath.Clean(root)] = true
			add(root)
			continue
		}
		var found []string
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				cat.Errors = append(cat.Errors, &FileError{Path: p, Err: err})
				return nil
			}
			if d.Type().IsRegular() && !isDICOMDIRName(p) && !strings.HasPrefix(d.Name(), ".") {
				found = append(found, p)
			}
			return nil
		})
		sort.Strings(found)
		for _, p := range found {
			add(p)
		}
	}
	return files, explicit
}

func isDICOMDIRName(p string) bool { return strings.EqualFold(filepath.Base(p), "DICOMDIR") }

// dedupe drops second copies of the same SOP Instance UID (patient CDs
// often carry a file twice).
func dedupe(images []*Instance) []*Instance {
	seen := map[string]bool{}
	out := images[:0]
	for _, in := range images {
		if in.SOPInstanceUID != "" {
			if seen[in.SOPInstanceUID] {
				continue
			}
			seen[in.SOPInstanceUID] = true
		}
		out = append(out, in)
	}
	return out
}

// group builds Patient → Study → Series in order of first appearance. A
// study belongs to one patient, its Study Instance UID being unique: files
// of a known study join it whatever patient they name (a series whose
// files name another patient than the study's gets a warning), and a study
// first seen in files that name no patient (no ID, no name: a derived
// object written without identifiers, such as a segmentation) moves to the
// patient a later file names. Files without a Study Instance UID form one
// study per patient. Patients left without a study are dropped.
func (c *Catalog) group(images []*Instance) {
	type seriesKey struct{ study, series string }
	// A name written with trailing empty components or in another case
	// (DOE^JOHN, Doe^John^^) is the same patient's (PS3.5 6.2.1).
	patientKey := func(p Patient) string {
		return strings.TrimSpace(p.ID) + "\x00" + strings.ToUpper(strings.TrimRight(strings.TrimSpace(p.Name), "^ "))
	}
	anonymous := func(p Patient) bool { return patientKey(p) == "\x00" }
	studyKey := func(in *Instance) string {
		if in.StudyInstanceUID == "" {
			return "\x00" + patientKey(in.Patient)
		}
		return in.StudyInstanceUID
	}
	patients := map[string]*PatientGroup{}
	patientOf := func(in *Instance) *PatientGroup {
		pk := patientKey(in.Patient)
		p := patients[pk]
		if p == nil {
			p = &PatientGroup{Patient: in.Patient}
			patients[pk] = p
			c.Patients = append(c.Patients, p)
		}
		return p
	}
	studies := map[string]*Study{}
	owner := map[string]*PatientGroup{}
	var seriesOrder []seriesKey
	bySeries := map[seriesKey][]*Instance{}
	otherPatient := map[seriesKey]bool{}
	for _, in := range images {
		sk := studyKey(in)
		k := seriesKey{sk, in.SeriesInstanceUID}
		st := studies[sk]
		switch {
		case st == nil:
			st = &Study{UID: in.StudyInstanceUID, Date: in.StudyDate, Time: in.StudyTime,
				Description: in.StudyDescription, AccessionNumber: in.AccessionNumber}
			studies[sk] = st
			p := patientOf(in)
			p.Studies = append(p.Studies, st)
			owner[sk] = p
		case anonymous(owner[sk].Patient) && !anonymous(in.Patient):
			old := owner[sk]
			old.Studies = slices.DeleteFunc(old.Studies, func(x *Study) bool { return x == st })
			p := patientOf(in)
			p.Studies = append(p.Studies, st)
			owner[sk] = p
			st.Date, st.Time = firstNonEmpty(st.Date, in.StudyDate), firstNonEmpty(st.Time, in.StudyTime)
			st.Description = firstNonEmpty(st.Description, in.StudyDescription)
			st.AccessionNumber = firstNonEmpty(st.AccessionNumber, in.AccessionNumber)
		case !anonymous(in.Patient) && patientKey(in.Patient) != patientKey(owner[sk].Patient):
			otherPatient[k] = true
		}
		if _, ok := bySeries[k]; !ok {
			seriesOrder = append(seriesOrder, k)
		}
		bySeries[k] = append(bySeries[k], in)
	}
	for _, k := range seriesOrder {
		st := studies[k.study]
		built := buildSeries(bySeries[k])
		if otherPatient[k] {
			for _, s := range built {
				s.Warnings = append(s.Warnings, "files of this series name another patient than the rest of their study (the same Study Instance UID)")
			}
		}
		st.Series = append(st.Series, built...)
	}
	for _, st := range studies {
		sort.SliceStable(st.Series, func(i, j int) bool { return st.Series[i].Number < st.Series[j].Number })
	}
	c.Patients = slices.DeleteFunc(c.Patients, func(p *PatientGroup) bool { return len(p.Studies) == 0 })
}
