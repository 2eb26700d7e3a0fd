package cli

import "runtime/debug"

// Version is the application version, set at build time with
// -ldflags "-X github.com/myeloview/myeloview/cli.Version=...".
var Version = "0.1.0-dev"

// Software names this build in files it writes (a segmentation's
// Software Versions): ASCII, without the research-use mark, which those
// files carry elsewhere.
func Software() string { return "myeloview " + Version }

// VersionString describes the build for --version and the About dialog.
func VersionString() string {
	s := "myeloview " + Version
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, kv := range info.Settings {
			if kv.Key == "vcs.revision" && len(kv.Value) >= 12 {
				s += " (" + kv.Value[:12] + ")"
			}
		}
	}
	return s + " — Research use only: not for diagnosis"
}
