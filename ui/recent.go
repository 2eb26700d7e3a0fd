package ui

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strconv"

	"fyne.io/fyne/v2"
)

// Preference keys and limits of the recent-studies list.
const (
	recentKey = "recent.studies"
	maxRecent = 10
)

// recentStudies is the "Recent studies" list kept in the application's
// Fyne Preferences: the path lists the user opened, newest first. Each
// entry is stored as a JSON array so any path survives. Paths may name
// patients (folder names often do), so they stay in the local preferences
// file and are never logged. Used on the UI goroutine.
type recentStudies struct{ prefs fyne.Preferences }

// Items returns the entries, newest first, skipping unreadable ones.
func (r recentStudies) Items() [][]string {
	if r.prefs == nil {
		return nil
	}
	var out [][]string
	for _, s := range r.prefs.StringList(recentKey) {
		var paths []string
		if json.Unmarshal([]byte(s), &paths) == nil && len(paths) > 0 {
			out = append(out, paths)
		}
	}
	return out
}

// Add puts paths first in the list, dropping an equal older entry and
// entries past maxRecent.
func (r recentStudies) Add(paths []string) {
	if r.prefs == nil || len(paths) == 0 {
		return
	}
	clean := make([]string, len(paths))
	for i, p := range paths {
		if abs, err := filepath.Abs(p); err == nil {
			p = abs
		}
		clean[i] = filepath.Clean(p)
	}
	items := [][]string{clean}
	for _, old := range r.Items() {
		if !slices.Equal(old, clean) && len(items) < maxRecent {
			items = append(items, old)
		}
	}
	r.save(items)
}

// Clear empties the list.
func (r recentStudies) Clear() {
	if r.prefs != nil {
		r.prefs.SetStringList(recentKey, []string{})
	}
}

func (r recentStudies) save(items [][]string) {
	enc := make([]string, 0, len(items))
	for _, it := range items {
		b, err := json.Marshal(it)
		if err == nil {
			enc = append(enc, string(b))
		}
	}
	r.prefs.SetStringList(recentKey, enc)
}

// recentLabel names an entry for a menu: the last one or two path
// elements of its first path, and how many more paths it holds.
func recentLabel(paths []string) string {
	if len(paths) == 0 {
		return ""
	}
	p := filepath.Clean(paths[0])
	label := filepath.Base(p)
	if parent := filepath.Base(filepath.Dir(p)); parent != "." && parent != string(filepath.Separator) {
		label = parent + string(filepath.Separator) + label
	}
	if len(paths) > 1 {
		label += " (+" + strconv.Itoa(len(paths)-1) + ")"
	}
	return label
}
