package ui

import "fyne.io/fyne/v2"

// defaultDoOnUI hands fn to the Fyne UI goroutine (Fyne 2.6+: fyne.Do).
func defaultDoOnUI(fn func()) { fyne.Do(fn) }
