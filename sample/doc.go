// Package sample generates MyeloView's synthetic whole-torso CT phantom with
// lytic bone lesions and writes it as a DICOM CT series.
//
// The phantom is synthetic: every voxel comes from analytic shapes, so the
// series contains no patient data. It is for research, testing and
// demonstration only, not for diagnosis; its headers and ground truth say so.
// It serves as the viewer's default study, the geometry test fixture, the
// benchmark input (500 slices of 512²) and training data for a lesion
// detector.
//
// # Anatomy
//
// The series always spans the same 600 mm, from the upper thorax (first
// thoracic vertebra) to the proximal femora, over a 480 mm field of view;
// Options.Slices and Options.Size only set the sampling, so slice spacing
// (= slice thickness) is 600/Slices mm and pixel spacing 480/Size mm. The
// patient lies head first supine (HFS); image rows run anterior to posterior
// and columns right to left of the patient, with Image Orientation (Patient)
// 1\0\0\0\1\0 and instance 1 the most superior slice (PS3.3 C.7.6.2.1.1).
//
// Tissues carry unenhanced CT attenuations: air −1000 HU outside the body
// (exactly, without noise), subcutaneous fat −100, muscle 50, lungs about −850
// with branching vessels, liver about 60, kidneys, spleen, stomach, bowel with
// gas, bladder, heart and great vessels. The skeleton has vertebral bodies
// (cortical shell about 1000 HU around trabecular bone of 200–260 HU),
// intervertebral discs (80 HU), posterior elements around the spinal canal,
// twelve pairs of ribs with costal cartilage, sternum, scapulae, sacrum
// (its canal closed by cortex to the caudal end unless Options.SacralHiatus
// opens it dorsally as the sacral hiatus does), iliac wings, acetabula, ischia, pubic rami and proximal femora. Cortex is
// about 2 mm thick, somewhat thicker than life, so that 1 mm pixels resolve
// it. Gaussian noise (σ = 14 HU) is added inside the body.
//
// Each study has 6 to 12 lytic lesions, depending on the seed: well-defined,
// lobulated holes of 20–60 HU inside trabecular bone (vertebral bodies,
// sacrum, pelvis, femora; small ones in the sternum and ribs), 3–25 mm
// across and fitted inside their host's marrow; with Options.BreachFraction,
// that share of them instead start near the marrow's edge and replace the
// cortex and adjacent fat (not muscle, organs or the canal), as lytic
// lesions that destroy the cortex do. GroundTruth lists them
// and Volume.LesionMask labels every voxel whose centre lies inside one.
// Lesion centres are voxel centres, so each lesion labels at least one voxel
// whatever the slice spacing. Ribs are thin, so rib lesions appear only when
// pixels are about 1 mm or finer.
//
// # Determinism
//
// Generate and Write are pure functions of Options: the same Options give
// identical volumes and byte-identical files, whatever GOMAXPROCS, because
// every random draw comes from a PCG stream seeded from Options.Seed and the
// purpose (anatomy, bowel and vessels, lesions, and one noise stream per
// slice), never from shared state or the clock. UIDs are derived from the
// Options (PS3.5 B.2, "2.25." and a name-based UUID), so a study is
// reproducible yet distinct from any other parameter set. Floating-point
// results may differ in the last bit across architectures (the compiler may
// fuse multiply-adds, and some math functions have assembly versions), which
// can move a voxel by 1 HU; identical output is promised for one GOOS/GOARCH
// build, not across them.
//
// # Speed and quality trade-offs
//
// Each slice is painted independently, back to front, from closed-form shapes
// evaluated only inside their bounding boxes: quadrant ellipses, discs cut
// from unions of balls (ribs, vessels, bowel, pelvis, femora) and swept
// plates (iliac wings, scapulae). Edges get a one-voxel linear
// partial-volume ramp from an approximate signed distance. Through the slice,
// structures that end at a plane (vertebral endplates, discs, sternum) get a
// ramp as wide as the slice but at most 2.5 mm; everything else is sampled at
// the slice's centre plane. There is no beam hardening and no correlated
// noise, and trabecular bone is flat unless Options.TextureHU adds a
// mottled texture (texture.go). Slices render in parallel on GOMAXPROCS
// goroutines; 500 slices of 512² take a few seconds on two cores (see
// BenchmarkGenerate512x500). Generate holds the whole volume (3 bytes per
// voxel); Write streams, holding a few slices.
//
// # Output
//
// Write produces one Part 10 file per slice (PS3.10 §7: preamble, "DICM",
// File Meta Information with its group length), CT Image Storage
// (PS3.3 A.3) in Explicit VR Little Endian, 16-bit unsigned samples holding
// HU + 1024 clamped to 0..4095, Rescale Intercept −1024, and soft-tissue
// (40/400) and bone (500/2000) windows. Study Description is shortened to fit
// its 64-character VR (LO); the full disclaimer is in Image Comments. Files
// appear atomically (temporary file, sync, rename).
//
// All functions are safe for concurrent use.
package sample
