// Package fynelocale keeps Fyne quiet under the C.UTF-8 locale that Debian
// containers, CI runners and cron jobs default to. Fyne's lang package
// parses the system locale in its init and, for "C.UTF-8", logs three lines
// ("Error parsing user locale C") to stderr: noise in the output of every
// command-line run, whose contract is one line on stderr per error.
//
// When the locale variables name the C locale with a codeset, init sets
// LANGUAGE=en (read by the locale library Fyne uses, and by gettext only
// outside the C locale, so children are unaffected). Import it for its side
// effect from any package that imports Fyne. Go initialises packages in
// import-path order among those whose dependencies are ready (Go 1.21+), and
// this package depends only on os and strings, so it runs before Fyne's
// lang package, which needs golang.org/x/text first.
package fynelocale

import (
	"os"
	"strings"
)

func init() {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := os.Getenv(name)
		if v == "" {
			continue
		}
		if (strings.HasPrefix(v, "C.") || strings.HasPrefix(v, "POSIX.")) && os.Getenv("LANGUAGE") == "" {
			os.Setenv("LANGUAGE", "en")
		}
		return
	}
}
